// @vitest-environment happy-dom
/**
 * The reach panel's tier chain on a side decided by Calico's tiers: the four-row chain of the admin
 * tiers does not fit them, so the chain lists the evaluator's steps in order, in `netglass check`'s
 * words (formatTierStep), ending with the step that decided.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { chainRows, TierChain } from '../../../renderer/src/components/TierChain.tsx';
import { StoresProvider } from '../../../renderer/src/store/context.tsx';
import { createAnalysisStore } from '../../../renderer/src/store/analysis-store.ts';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import { createViewStore } from '../../../renderer/src/store/view-store.ts';
import { createAnalyzer, formatTierStep, tierSteps } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';

const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: production}
---
apiVersion: v1
kind: Pod
metadata: {name: database, namespace: production, labels: {role: database}}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend, namespace: production, labels: {role: frontend}}
status: {podIP: 10.0.0.2}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.pass-all}
spec:
  tier: security
  selector: all()
  types: [Ingress]
  ingress:
  - action: Pass
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-tcp-6379, namespace: production}
spec:
  selector: role == 'database'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    source: {selector: role == 'frontend'}
    destination: {ports: [6379]}
`;

afterEach(() => cleanup());

describe('the tier chain on a Calico side', () => {
  const snapshot = snapshotFromText(CLUSTER, 'calico.yaml');
  const verdict = (port: number) =>
    createAnalyzer(snapshot).check({
      from: { kind: 'pod', namespace: 'production', name: 'frontend' },
      to: { kind: 'pod', namespace: 'production', name: 'database' },
      port,
      protocol: 'TCP',
    });

  it('lists the evaluator’s steps in order instead of the four admin rows', () => {
    for (const [port, expected] of [
      [6379, 'allowed'],
      [6380, 'denied'],
    ] as const) {
      const v = verdict(port);
      expect(v.verdict).toBe(expected);
      expect(chainRows(v.ingress, 'ingress')).toBeUndefined();
      const steps = tierSteps(v.ingress, 'ingress');
      expect(steps.some((s) => s.kind === 'calico-rule')).toBe(true);
      render(
        <StoresProvider
          stores={{
            source: createSourceStore(),
            view: createViewStore(),
            analysis: createAnalysisStore(),
            controller: {
              openSource: () => Promise.resolve(),
              reload: () => Promise.resolve(),
              listContexts: () => Promise.resolve(),
              dispose: () => undefined,
            },
          }}
        >
          <TierChain side={v.ingress} direction="ingress" snapshot={snapshot} onOpen={() => undefined} />
        </StoresProvider>,
      );
      const shown = screen.getAllByTestId('tier-step').map((li) => li.textContent);
      expect(shown).toEqual(steps.map(formatTierStep));
      expect(shown.join(' ')).toMatch(/Calico tier `security`.*Pass/);
      cleanup();
    }
  });
});
