/**
 * The manifest reader for Calico (projectcalico.org/v3 and the crd.projectcalico.org/v1 storage form):
 * policies with their tier, order, selectors, types and rules; Tiers, NetworkSets, GlobalNetworkSets,
 * staged policies; errors positioned at file, line and field.
 */
import { describe, expect, it } from 'vitest';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import type { CalicoPolicy, LoadIssue, Snapshot } from '../../../shared/model/snapshot.ts';

function load(text: string): Snapshot {
  return snapshotFromText(text, 'm.yaml');
}

function policyOf(text: string): CalicoPolicy {
  const s = load(text);
  expect(
    s.issues.filter((i) => i.severity !== 'info'),
    JSON.stringify(s.issues, null, 2),
  ).toEqual([]);
  expect(s.calicoPolicies).toHaveLength(1);
  return s.calicoPolicies![0]!;
}

function oneError(text: string, field: string, line: number, message: RegExp): LoadIssue {
  const s = load(text);
  const errs = s.issues.filter((i) => i.severity === 'error');
  expect(errs, JSON.stringify(s.issues, null, 2)).toHaveLength(1);
  const e = errs[0]!;
  expect([e.location?.file, e.location?.line, e.field]).toEqual(['m.yaml', line, field]);
  expect(e.message).toMatch(message);
  expect(e.message).toMatch(/was not loaded$/);
  expect(s.calicoPolicies ?? []).toEqual([]);
  return e;
}

/** A Calico NetworkPolicy in namespace shop; `rest` starts at line 5, indented under spec. */
function np(rest: string): string {
  return `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
${rest}`;
}

describe('Calico policy reader', () => {
  it('reads the allow-tcp-6379 sample', () => {
    const p = policyOf(`apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-tcp-6379, namespace: production}
spec:
  selector: role == 'database'
  types: [Ingress, Egress]
  ingress:
  - action: Allow
    metadata: {annotations: {from: frontend}}
    protocol: TCP
    source: {selector: role == 'frontend'}
    destination: {ports: [6379, "8000:8080", redis]}
  egress:
  - action: Allow`);
    expect(p).toMatchObject({
      kind: 'NetworkPolicy',
      namespace: 'production',
      name: 'allow-tcp-6379',
      tier: 'default',
      selector: "role == 'database'",
      types: ['Ingress', 'Egress'],
      typesDeclared: true,
      staged: false,
    });
    expect(p.order).toBeUndefined();
    expect(p.ingress[0]).toMatchObject({
      action: 'Allow',
      protocol: 'TCP',
      source: { selector: "role == 'frontend'" },
      destination: {
        ports: [
          { kind: 'range', from: 6379, to: 6379 },
          { kind: 'range', from: 8000, to: 8080 },
          { kind: 'named', name: 'redis' },
        ],
      },
    });
    expect(p.egress).toEqual([
      {
        action: 'Allow',
        source: { nets: [], notNets: [], ports: [], notPorts: [] },
        destination: { nets: [], notNets: [], ports: [], notPorts: [] },
      },
    ]);
  });

  it('defaults types from the rules present, as Calico does', () => {
    expect(policyOf(np(`  selector: all()`)).types).toEqual(['Ingress']);
    expect(policyOf(np(`  egress: [{action: Deny}]`)).types).toEqual(['Egress']);
    expect(policyOf(np(`  ingress: [{action: Deny}]\n  egress: [{action: Deny}]`)).types).toEqual([
      'Ingress',
      'Egress',
    ]);
  });

  it('strips the tier prefix of a name (before 3.32 required, the storage form always writes it)', () => {
    const p = policyOf(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.block}
spec: {tier: security, order: 10.5, selector: all()}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}`);
    expect([p.name, p.writtenName, p.tier, p.order, p.namespace]).toEqual([
      'block',
      'security.block',
      'security',
      10.5,
      undefined,
    ]);
    const crd = policyOf(`apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: default.allow, namespace: shop}
spec: {selector: all()}`);
    expect([crd.name, crd.tier, crd.apiVersion]).toEqual(['allow', 'default', 'crd.projectcalico.org/v1']);
    // 3.32 style: no prefix.
    expect(
      policyOf(`${np(`  tier: platform\n  selector: all()`)}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: platform}`).name,
    ).toBe('p');
  });

  it('reads protocols by name and number, nets with bare addresses, notPorts', () => {
    const p = policyOf(
      np(`  egress:
  - action: Deny
    protocol: 17
    destination: {nets: [10.0.0.0/8, 10.1.2.3], notNets: ["fd00::1"], notPorts: [53]}
  - action: Pass
    protocol: ICMP
  - action: Log
    notProtocol: udp`),
    );
    expect(p.egress.map((r) => [r.action, r.protocol, r.notProtocol])).toEqual([
      ['Deny', 'UDP', undefined],
      ['Pass', { other: 'ICMP' }, undefined],
      ['Log', undefined, 'UDP'],
    ]);
    expect(p.egress[0]?.destination).toMatchObject({
      nets: ['10.0.0.0/8', '10.1.2.3/32'],
      notNets: ['fd00::1/128'],
      notPorts: [{ kind: 'range', from: 53, to: 53 }],
    });
  });

  it('keeps HTTP matches, service accounts and services for the evaluator to flag', () => {
    const p = policyOf(
      np(`  ingress:
  - action: Allow
    http: {methods: [GET], paths: [{prefix: /api}]}
    source: {serviceAccounts: {names: [api-sa], selector: "team == 'x'"}, services: {name: web, namespace: shop}}`),
    );
    expect(p.ingress[0]?.http).toBe('HTTP GET prefix /api');
    expect(p.ingress[0]?.source.serviceAccounts).toEqual({ names: ['api-sa'], selector: "team == 'x'" });
    expect(p.ingress[0]?.source.services).toEqual({ name: 'web', namespace: 'shop' });
  });

  it('lists staged policies as drafts', () => {
    const s = load(`apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: preview}
spec: {selector: all(), stagedAction: Set}`);
    expect(s.calicoPolicies?.map((p) => [p.kind, p.staged])).toEqual([['StagedGlobalNetworkPolicy', true]]);
    expect(s.issues.map((i) => [i.severity, i.message])).toEqual([
      ['info', expect.stringMatching(/is staged: it is listed as a what-if draft/)],
    ]);
  });

  it('reads Tiers, NetworkSets and GlobalNetworkSets', () => {
    const s = load(`apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100, defaultAction: Pass}
---
apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: partners, namespace: shop, labels: {ext: partner}}
spec: {nets: [203.0.113.0/24]}
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkSet
metadata: {name: dns, labels: {ext: dns}}
spec: {nets: [8.8.8.8/32]}`);
    expect(s.issues).toEqual([]);
    expect(s.calicoTiers).toMatchObject([{ name: 'security', order: 100, defaultAction: 'Pass' }]);
    expect(s.calicoNetworkSets).toMatchObject([
      { kind: 'NetworkSet', namespace: 'shop', name: 'partners', labels: { ext: 'partner' } },
      { kind: 'GlobalNetworkSet', name: 'dns', nets: ['8.8.8.8/32'] },
    ]);
  });

  it('warns about a tier no Tier object declares', () => {
    const s = load(np(`  tier: platform\n  selector: all()`));
    expect(s.calicoPolicies).toHaveLength(1);
    const warnings = s.issues.filter((i) => i.severity === 'warning');
    expect(warnings.map((i) => [i.severity, i.location?.line, i.message])).toEqual([
      ['warning', 1, expect.stringMatching(/^tier platform of Calico NetworkPolicy shop\/p is not declared/)],
    ]);
  });

  it('keeps Kubernetes NetworkPolicy apart from Calico NetworkPolicy by API group', () => {
    const s = load(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec: {podSelector: {}}
---
${np('  selector: all()')}`);
    expect(s.policies).toHaveLength(1);
    expect(s.calicoPolicies).toHaveLength(1);
  });
});

describe('Calico policy reader: errors name file, line and field', () => {
  it('a selector that does not parse, with its column', () => {
    const e = oneError(np(`  selector: role = 'db'`), 'spec.selector', 5, /not a valid Calico selector/);
    expect(e.message).toMatch(/column 6 of "role = 'db'"/);
  });

  it('a rule selector', () => {
    oneError(
      np(`  ingress:
  - action: Allow
    source: {selector: "has(role"}`),
      'spec.ingress[0].source.selector',
      7,
      /expected "\)"/,
    );
  });

  it('an unknown action, with a hint', () => {
    oneError(np(`  ingress: [{action: Allwo}]`), 'spec.ingress[0].action', 5, /did you mean Allow\?/);
  });

  it('a rule without an action', () => {
    oneError(
      np(`  ingress: [{protocol: TCP}]`),
      'spec.ingress[0].action',
      5,
      /needs Allow, Deny, Log or Pass/,
    );
  });

  it('ports without TCP, UDP or SCTP', () => {
    oneError(
      np(`  ingress:
  - action: Allow
    destination: {ports: [80]}`),
      'spec.ingress[0].protocol',
      6,
      /must be TCP, UDP or SCTP when destination has ports/,
    );
  });

  it('a bad port range', () => {
    oneError(
      np(`  ingress:
  - action: Allow
    protocol: TCP
    destination: {ports: ["90:80"]}`),
      'spec.ingress[0].destination.ports[0]',
      8,
      /not a port range/,
    );
  });

  it('a bad CIDR', () => {
    oneError(
      np(`  egress:
  - action: Allow
    destination: {nets: [10.0.0.0/33]}`),
      'spec.egress[0].destination.nets[0]',
      7,
      /not a CIDR or an IP address/,
    );
  });

  it('an unknown field', () => {
    oneError(np(`  selectr: all()`), 'spec.selectr', 5, /did you mean "selector"\?/);
  });

  it('namespaceSelector on a namespaced policy', () => {
    oneError(np(`  namespaceSelector: all()`), 'spec.namespaceSelector', 5, /unknown field/);
  });

  it('an HTTP match in an egress rule', () => {
    oneError(
      np(`  egress:
  - action: Allow
    http: {methods: [GET]}`),
      'spec.egress[0].http',
      7,
      /only valid in ingress rules/,
    );
  });

  it('a bad types entry', () => {
    oneError(np(`  types: [ingress]`), 'spec.types[0]', 5, /did you mean Ingress\?/);
  });

  it('a Tier with a bad defaultAction', () => {
    const s = load(`apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: t}
spec: {defaultAction: Allow}`);
    const e = s.issues.find((i) => i.severity === 'error');
    expect([e?.location?.line, e?.field]).toEqual([4, 'spec.defaultAction']);
    expect(e?.message).toMatch(/must be Deny or Pass.*Tier t was not loaded$/);
    expect(s.calicoTiers ?? []).toEqual([]);
  });
});
