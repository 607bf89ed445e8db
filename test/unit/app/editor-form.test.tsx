// @vitest-environment happy-dom
/**
 * The policy editor's form and YAML pane under happy-dom: form ↔ draft mapping, validation messages
 * at their inputs (verbatim) with a summary count, and YAML edits read back with errors at their line.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyDraft } from '../../../shared/editor/index.ts';
import {
  draftToManifest,
  draftToYaml,
  newDraft,
  templateById,
  validateDraft,
} from '../../../shared/editor/index.ts';
import { PolicyForm } from '../../../renderer/src/editor/PolicyForm.tsx';
import { YamlPane } from '../../../renderer/src/editor/YamlPane.tsx';
import { createEditorStore } from '../../../renderer/src/editor/store.ts';
import { enabledDeltas } from '../../../renderer/src/editor/whatif-binding.ts';

function Harness({ initial, onDraft }: { initial: PolicyDraft; onDraft: (d: PolicyDraft) => void }) {
  const [draft, setDraft] = useState(initial);
  const change = (d: PolicyDraft) => {
    setDraft(d);
    onDraft(d);
  };
  return (
    <>
      <PolicyForm draft={draft} onChange={change} validation={validateDraft(draft)} namespaces={['shop']} />
      <YamlPane draft={draft} onChange={change} />
    </>
  );
}

function mount(initial: PolicyDraft) {
  let last = initial;
  const view = render(<Harness initial={initial} onDraft={(d) => (last = d)} />);
  const field = (path: string) => {
    const el = view.container.querySelector(`[data-field="${path}"]`);
    if (el === null) throw new Error(`no field ${path}`);
    return el as HTMLInputElement;
  };
  const choose = (path: string, value: string) => {
    const el = view.container.querySelector(`[data-choice="${path}"] [data-value="${value}"]`);
    if (el === null) throw new Error(`no choice ${path}=${value}`);
    fireEvent.click(el);
  };
  return { view, field, choose, draft: () => last };
}

afterEach(() => cleanup());

describe('policy form', () => {
  it('maps each input onto the draft and builds the seed’s database policy', () => {
    const { field, choose, draft } = mount(newDraft('shop'));
    fireEvent.change(field('name'), { target: { value: 'database-access-api-only' } });
    fireEvent.click(screen.getByTestId('add-label:podSelector'));
    fireEvent.change(field('podSelector.matchLabels[0].key'), { target: { value: 'tier' } });
    fireEvent.change(field('podSelector.matchLabels[0].value'), { target: { value: 'database' } });
    fireEvent.click(field('policyTypes.egress'));
    fireEvent.click(screen.getByTestId('add-ingress-rule'));
    choose('ingress[0].peers', 'some');
    choose('ingress[0].peers[0].pods', 'labels');
    fireEvent.change(field('ingress[0].peers[0].pods.matchLabels[0].key'), { target: { value: 'tier' } });
    fireEvent.change(field('ingress[0].peers[0].pods.matchLabels[0].value'), { target: { value: 'api' } });
    choose('ingress[0].ports', 'some');
    fireEvent.change(field('ingress[0].ports[0].port'), { target: { value: '3306' } });
    const intended = templateById('database-access-api-only')?.create('shop');
    expect(intended).toBeDefined();
    if (intended === undefined) return;
    expect(draftToManifest(draft())).toEqual(draftToManifest(intended));
    expect(screen.getByTestId('yaml-text')).toHaveProperty('value', draftToYaml(intended));
  });

  it('shows each validation message verbatim at its input', () => {
    const { field, view } = mount(newDraft('shop'));
    fireEvent.click(screen.getByTestId('add-ingress-rule'));
    const rules = view.container.querySelector('[data-issues-for="ingress[0].peers"]');
    expect(rules?.textContent).toBe(
      'no sources: add one, or choose any source (Kubernetes reads an empty list as everyone)',
    );
    fireEvent.click(screen.getByTestId('add-label:podSelector'));
    fireEvent.change(field('podSelector.matchLabels[0].key'), { target: { value: 'bad key!' } });
    const expected = validateDraft({
      ...newDraft('shop'),
      podSelector: { matchLabels: [{ key: 'bad key!', value: '' }], matchExpressions: [] },
      ingress: [{ peers: [], ports: 'any' }],
    }).issues.filter((i) => i.field === 'podSelector.matchLabels[0].key');
    expect(expected.length).toBeGreaterThan(0);
    const shown = view.container.querySelector('[data-issues-for="podSelector.matchLabels[0].key"]');
    expect(shown?.textContent).toBe(expected.map((i) => i.message).join(''));
    expect(field('podSelector.matchLabels[0].key').getAttribute('aria-invalid')).toBe('true');
  });

  it('reads YAML edits back into the form and shows errors at their line', () => {
    const { field } = mount(newDraft('shop'));
    const text = screen.getByTestId('yaml-text');
    const good = draftToYaml({ ...newDraft('shop'), name: 'from-yaml' });
    fireEvent.change(text, { target: { value: good } });
    expect(field('name').value).toBe('from-yaml');
    const bad = good.replace('name: from-yaml', 'name: Not_Valid');
    fireEvent.change(text, { target: { value: bad } });
    const issue = screen.getAllByTestId('yaml-issue')[0];
    const line = bad.split('\n').findIndex((l) => l.includes('Not_Valid')) + 1;
    expect(issue?.getAttribute('data-line')).toBe(String(line));
    expect(field('name').value).toBe('from-yaml');
  });
});

describe('editor store', () => {
  it('creates, duplicates, switches off and deletes drafts; only enabled valid drafts feed the what-if', () => {
    const store = createEditorStore();
    const s = () => store.getState();
    const a = s().add(newDraft('shop'));
    const b = s().duplicate(a, ['new-policy']);
    expect(s().drafts.map((d) => d.draft.name)).toEqual(['new-policy', 'new-policy-copy']);
    expect(enabledDeltas(s().drafts).deltas).toHaveLength(2);
    if (b !== undefined) s().setEnabled(b, false);
    expect(enabledDeltas(s().drafts).deltas).toHaveLength(1);
    s().update(a, { ...newDraft('shop'), namespace: '' });
    expect(enabledDeltas(s().drafts)).toMatchObject({ deltas: [], invalid: 1 });
    s().remove(a);
    expect(s().drafts).toHaveLength(1);
    act(() => undefined);
  });
});
