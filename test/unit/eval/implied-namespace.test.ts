import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { ns, pod, snapshot } from './build.ts';

describe('namespaces implied only by a pod', () => {
  it('leave the analysis with their last pod, as a fresh analysis of the same objects shows', () => {
    const a = createAnalyzer(snapshot([ns('a')], [pod('a', 'a1', {}, { ips: ['10.0.0.1'] })], []));
    a.update([{ kind: 'upsertPod', pod: pod('b', 'p', {}, { ips: ['10.0.0.2'] }) }]);
    expect(a.summary().namespaces).toEqual(['a', 'b']);
    // The pod moves to namespace a: nothing declares b any more.
    a.update([
      { kind: 'removePod', namespace: 'b', name: 'p' },
      { kind: 'upsertPod', pod: pod('a', 'p', {}, { ips: ['10.0.0.2'] }) },
    ]);
    const fresh = createAnalyzer(
      snapshot(
        [ns('a')],
        [pod('a', 'a1', {}, { ips: ['10.0.0.1'] }), pod('a', 'p', {}, { ips: ['10.0.0.2'] })],
        [],
      ),
    );
    expect(a.summary().namespaces).toEqual(['a']);
    expect(a.summary().matrix).toEqual(fresh.summary().matrix);
    expect(a.stats().namespaces).toBe(1);
  });
});
