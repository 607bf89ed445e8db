// @vitest-environment happy-dom
/**
 * Calico NetworkSets / GlobalNetworkSets in the app (test/fixtures/calico-netsets/): the Calico group of
 * the policy list has a "Network sets" sub-list, closed until opened or searched, each set with its
 * namespace (or global), labels and CIDRs as written; the side panel's filter and the command palette
 * find a set by name, label or CIDR; a Calico policy whose rules have selectors says that they pick
 * sets too (which ones is the evaluator's, not listed).
 */
import { join } from 'node:path';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { policyListItems } from '../../../renderer/src/components/SidePanel.tsx';
import { listCalicoPolicies, summarizeCalicoNetworkSets } from '../../../renderer/src/model/calico.ts';
import { buildSearchIndex, search } from '../../../renderer/src/model/search.ts';
import { mountSnapshot } from './mount-app.tsx';

let snapshot: Snapshot;

beforeAll(async () => {
  snapshot = await loadManifests([join(process.cwd(), 'test/fixtures/calico-netsets')]);
  expect(snapshot.issues.filter((i) => i.severity === 'error')).toEqual([]);
});

afterEach(() => cleanup());

const kinds = (items: ReturnType<typeof policyListItems>) => items.map((i) => i.kind);

describe('the network sets as the model lists them', () => {
  it('lists global sets first, then by namespace and name, labels sorted, CIDRs as written', () => {
    expect(summarizeCalicoNetworkSets(snapshot)).toEqual([
      {
        key: 'GlobalNetworkSet:/metadata-addresses',
        kind: 'GlobalNetworkSet',
        name: 'metadata-addresses',
        namespace: undefined,
        labels: ['role=metadata'],
        nets: ['169.254.169.254/32'],
      },
      {
        key: 'GlobalNetworkSet:/partners',
        kind: 'GlobalNetworkSet',
        name: 'partners',
        namespace: undefined,
        labels: ['role=partner', 'tier=external'],
        nets: ['203.0.113.0/24', '198.51.100.0/25'],
      },
      {
        key: 'NetworkSet:shop/payment-gateways',
        kind: 'NetworkSet',
        name: 'payment-gateways',
        namespace: 'shop',
        labels: ['role=gateway'],
        nets: ['192.0.2.0/28'],
      },
    ]);
  });

  it('puts a closed sub-list under the Calico policies, open while a search matches some set', () => {
    const calico = listCalicoPolicies(snapshot);
    const closed = policyListItems([], [], '', 'all', [], calico);
    expect(kinds(closed).slice(-1)).toEqual(['netsets']);
    expect(closed.at(-1)).toMatchObject({ kind: 'netsets', shown: 3, total: 3, open: false });

    const open = policyListItems([], [], '', 'all', [], calico, true);
    expect(kinds(open).slice(-4)).toEqual(['netsets', 'netset', 'netset', 'netset']);

    // A CIDR typed in the filter opens the sub-list on the set that holds it.
    const byCidr = policyListItems([], [], '198.51', 'all', [], calico);
    expect(byCidr.filter((i) => i.kind === 'netset').map((i) => i.set.name)).toEqual(['partners']);
    expect(byCidr.find((i) => i.kind === 'netsets')).toMatchObject({ shown: 1, total: 3, open: true });
    // ... unless the user closed it.
    expect(kinds(policyListItems([], [], '198.51', 'all', [], calico, false))).not.toContain('netset');

    // A search no set answers drops the heading; another tier's filter drops the whole group.
    expect(kinds(policyListItems([], [], 'api-partners', 'all', [], calico))).not.toContain('netsets');
    expect(kinds(policyListItems([], [], '', 'NetworkPolicy', [], calico))).not.toContain('netsets');
  });

  it('shows the sets of a source that has no Calico policy', () => {
    const setsOnly: Snapshot = { ...snapshot, calicoPolicies: [] };
    const items = policyListItems([], [], '', 'all', [], listCalicoPolicies(setsOnly), true);
    expect(kinds(items)).toEqual(['group', 'netsets', 'netset', 'netset', 'netset']);
    expect(items[0]).toMatchObject({ kind: 'group', tier: 'Calico', total: 0 });
  });

  it('finds a set in the palette index by name, label or CIDR', () => {
    const index = buildSearchIndex(snapshot);
    const refs = (q: string) =>
      search(index, q)
        .filter((i) => i.kind === 'networkset')
        .map((i) => i.ref);
    expect(refs('payment')).toEqual(['NetworkSet:shop/payment-gateways']);
    expect(refs('role=partner')).toEqual(['GlobalNetworkSet:/partners']);
    expect(refs('169.254')).toEqual(['GlobalNetworkSet:/metadata-addresses']);
    expect(refs('network set global')).toHaveLength(2);
    const partners = search(index, 'partners').find((i) => i.kind === 'networkset');
    expect(partners?.detail).toBe('Calico GlobalNetworkSet · global · 203.0.113.0/24, 198.51.100.0/25');
  });
});

describe('the network sets in the app', () => {
  it('opens the sub-list on a click, and the filter narrows it by label', async () => {
    await mountSnapshot(snapshot);
    fireEvent.click(screen.getByTestId('tab-policies'));
    const head = await screen.findByTestId('calico-netsets-head');
    expect(head.getAttribute('aria-expanded')).toBe('false');
    expect(head.textContent).toMatch(/Network sets.*3$/);
    expect(screen.queryAllByTestId('calico-netset')).toHaveLength(0);

    fireEvent.click(head);
    const rows = screen.getAllByTestId('calico-netset');
    expect(rows.map((r) => r.getAttribute('data-key'))).toEqual([
      'GlobalNetworkSet:/metadata-addresses',
      'GlobalNetworkSet:/partners',
      'NetworkSet:shop/payment-gateways',
    ]);
    const partners = rows[1] as HTMLElement;
    expect(partners.textContent).toMatch(/global/);
    expect(within(partners).getByTestId('calico-netset-labels').textContent).toBe(
      'role=partnertier=external',
    );
    expect(within(partners).getByTestId('calico-netset-nets').textContent).toBe(
      '203.0.113.0/24, 198.51.100.0/25',
    );
    expect((rows[2] as HTMLElement).textContent).toMatch(/shop/);

    fireEvent.change(screen.getByLabelText('Filter policies'), { target: { value: 'role=gateway' } });
    expect(screen.getAllByTestId('calico-netset').map((r) => r.getAttribute('data-key'))).toEqual([
      'NetworkSet:shop/payment-gateways',
    ]);
    expect(screen.getByTestId('calico-netsets-head').textContent).toMatch(/1 of 3$/);

    // Closed again by hand, it stays closed.
    fireEvent.click(screen.getByTestId('calico-netsets-head'));
    expect(screen.queryAllByTestId('calico-netset')).toHaveLength(0);
  });

  it('finds a set from the palette by CIDR and shows it in the policy list', async () => {
    const { view } = await mountSnapshot(snapshot);
    act(() => view.getState().setTierFilter('NetworkPolicy'));
    act(() => view.getState().setPaletteOpen(true));
    const input = await screen.findByTestId('palette-input');
    fireEvent.change(input, { target: { value: '192.0.2' } });
    const item = screen
      .getAllByTestId('palette-item')
      .find((i) => i.getAttribute('data-kind') === 'networkset');
    expect(item?.getAttribute('data-ref')).toBe('NetworkSet:shop/payment-gateways');
    expect(item?.textContent).toMatch(/Network set/);
    fireEvent.click(item as HTMLElement);
    expect(view.getState().tab).toBe('policies');
    expect(view.getState().tierFilter).toBe('all');
    expect(view.getState().filter).toBe('payment-gateways');
    await waitFor(() =>
      expect(screen.getAllByTestId('calico-netset').map((r) => r.getAttribute('data-key'))).toEqual([
        'NetworkSet:shop/payment-gateways',
      ]),
    );
  });

  it('lists with each rule side the network sets its selector picks, as the evaluator says', async () => {
    const { view } = await mountSnapshot(snapshot);
    act(() =>
      view.getState().select({ kind: 'policy', key: 'Calico:NetworkPolicy/shop/default.api-partners' }),
    );
    const note = await screen.findByTestId('calico-rules-netsets');
    expect(note.textContent).toMatch(/picks Calico network sets by their labels as well as pods/);
    // ingress[0] from role == 'partner' with global(): the GlobalNetworkSet; egress[0] to
    // role == 'gateway' in shop: the namespaced set. Nothing else picks a set.
    expect(screen.getAllByTestId('calico-rule-source-sets').map((e) => e.textContent)).toEqual(['partners']);
    expect(screen.getAllByTestId('calico-rule-destination-sets').map((e) => e.textContent)).toEqual([
      'shop/payment-gateways',
    ]);
  });

  it('says nothing of sets where the source has none', async () => {
    const { view } = await mountSnapshot({ ...snapshot, calicoNetworkSets: [] });
    act(() =>
      view.getState().select({ kind: 'policy', key: 'Calico:NetworkPolicy/shop/default.api-partners' }),
    );
    await screen.findByTestId('calico-rules');
    expect(screen.queryByTestId('calico-rules-netsets')).toBeNull();
    fireEvent.click(screen.getByTestId('tab-policies'));
    expect(screen.queryByTestId('calico-netsets-head')).toBeNull();
  });
});
