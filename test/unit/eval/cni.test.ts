/**
 * CNI profiles (shared/eval/cni.ts) where the NetworkPolicy spec leaves room: whether ipBlock matches a
 * pod's address or a host-network pod's (its node's), and whether a pod selector holds a host-network
 * pod. Each profile's answers are the CNIs' documented behaviour (see cni.ts); `generic` answers
 * `unknown` with the reason, and `upstream` (the default) is what Kubernetes' own tests expect.
 * Whole-cluster tables (`reach`) must agree with `check` under every profile.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import type { CniProfile, Snapshot } from '../../../shared/model/snapshot.ts';
import type { ConnectionVerdict, Peer } from '../../../shared/eval/index.ts';
import { detectCni } from '../../../shared/eval/cni.ts';

const CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
status: {podIP: 10.1.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: a, labels: {app: server}}
status: {podIP: 10.1.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: a, labels: {app: agent}}
spec: {hostNetwork: true}
status: {podIP: 192.168.0.10}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: server-in, namespace: a}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{ipBlock: {cidr: 10.1.0.0/16}}]
    ports: [{port: 80}]
  - from: [{podSelector: {matchLabels: {app: agent}}}]
    ports: [{port: 81}]
  - from: [{ipBlock: {cidr: 192.168.0.0/24}}]
    ports: [{port: 82}]
`;

function analyzer(cni: CniProfile | undefined) {
  const s: Snapshot = snapshotFromText(CLUSTER);
  return createAnalyzer(cni ? { ...s, cni } : s);
}

const pod = (name: string): Peer => ({ kind: 'pod', namespace: 'a', name });
const ext = (ip: string): Peer => ({ kind: 'external', ip });

function check(cni: CniProfile | undefined, from: Peer, port: number): ConnectionVerdict {
  return analyzer(cni).check({ from, to: pod('server'), protocol: 'TCP', port });
}

type Row = [string, CniProfile | undefined, { pod: string; hostSelector: string; hostIpBlock: string }];

// client -> server:80 (ipBlock over the pod's address), agent -> server:81 (selector over a host-network
// pod), agent -> server:82 (ipBlock over the node's address).
const ROWS: Row[] = [
  ['default (upstream)', undefined, { pod: 'allowed', hostSelector: 'allowed', hostIpBlock: 'allowed' }],
  ['upstream', { cni: 'upstream' }, { pod: 'allowed', hostSelector: 'allowed', hostIpBlock: 'allowed' }],
  ['generic', { cni: 'generic' }, { pod: 'unknown', hostSelector: 'unknown', hostIpBlock: 'unknown' }],
  ['calico', { cni: 'calico' }, { pod: 'allowed', hostSelector: 'denied', hostIpBlock: 'allowed' }],
  ['cilium', { cni: 'cilium' }, { pod: 'denied', hostSelector: 'denied', hostIpBlock: 'denied' }],
  [
    'cilium pods',
    { cni: 'cilium', ciliumCidrMatch: ['pods'] },
    { pod: 'allowed', hostSelector: 'denied', hostIpBlock: 'denied' },
  ],
  [
    'cilium nodes',
    { cni: 'cilium', ciliumCidrMatch: ['nodes'] },
    { pod: 'denied', hostSelector: 'denied', hostIpBlock: 'allowed' },
  ],
  ['antrea', { cni: 'antrea' }, { pod: 'allowed', hostSelector: 'denied', hostIpBlock: 'unknown' }],
  [
    'ovn-kubernetes',
    { cni: 'ovn-kubernetes' },
    { pod: 'allowed', hostSelector: 'denied', hostIpBlock: 'unknown' },
  ],
];

describe('CNI profiles: ipBlock and host-network pods', () => {
  it.each(ROWS)('%s', (_, cni, want) => {
    expect(check(cni, pod('client'), 80).verdict).toBe(want.pod);
    expect(check(cni, pod('agent'), 81).verdict).toBe(want.hostSelector);
    expect(check(cni, pod('agent'), 82).verdict).toBe(want.hostIpBlock);
    // External addresses are the spec's own case: inside the block they match, under every profile.
    expect(check(cni, ext('10.1.9.9'), 80).verdict).toBe('allowed');
    expect(check(cni, ext('203.0.113.5'), 80).verdict).toBe('denied');
  });

  it('generic says which choice the verdict depends on', () => {
    const pod80 = check({ cni: 'generic' }, pod('client'), 80);
    expect(pod80.ingress.kind).toBe('unknown');
    expect(pod80.ingress.kind === 'unknown' && pod80.ingress.reason).toMatch(
      /whether an ipBlock matches pod addresses depends on the CNI \(profile Generic/,
    );
    const host81 = check({ cni: 'generic' }, pod('agent'), 81);
    expect(host81.ingress.kind === 'unknown' && host81.ingress.reason).toMatch(
      /whether a pod selector holds a host-network pod/,
    );
    const host82 = check({ cni: 'antrea' }, pod('agent'), 82);
    expect(host82.ingress.kind === 'unknown' && host82.ingress.reason).toMatch(
      /ipBlock matches a host-network pod .*profile Antrea/,
    );
  });

  it.each(ROWS)('%s: reach agrees with check on every pair and port', (_, cni) => {
    const a = analyzer(cni);
    const peers: Peer[] = [pod('client'), pod('server'), pod('agent'), ext('10.1.9.9'), ext('192.168.0.99')];
    const ports = [80, 81, 82].map((port) => ({ protocol: 'TCP' as const, port }));
    const table = a.reach(peers, ports);
    peers.forEach((from, i) =>
      peers.forEach((to, j) => {
        if (i === j || (from.kind === 'external' && to.kind === 'external')) return;
        ports.forEach((p, k) => {
          const v = a.check({ from, to, protocol: p.protocol, port: p.port }).verdict;
          const cell = table.cell(i, j, k);
          const reach = cell.unknown ? 'unknown' : cell.allowed ? 'allowed' : 'denied';
          expect(reach, `${JSON.stringify(from)} -> ${JSON.stringify(to)}:${p.port}`).toBe(v);
        });
      }),
    );
  });
});

describe('CNI profiles: which policy kinds are enforced', () => {
  const CALICO = `${CLUSTER}---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: deny-client, namespace: a}
spec:
  selector: app == 'client'
  types: [Egress]
`;
  it('a Cilium cluster leaves Calico policies out, and says so when asked about one', () => {
    const s = snapshotFromText(CALICO);
    const key = 'Calico:NetworkPolicy/a/default.deny-client';
    const calico = createAnalyzer({ ...s, cni: { cni: 'calico' } });
    expect(calico.check({ from: pod('client'), to: pod('server'), protocol: 'TCP', port: 80 }).verdict).toBe(
      'denied',
    );
    const cilium = createAnalyzer({ ...s, cni: { cni: 'cilium', ciliumCidrMatch: ['pods'] } });
    expect(cilium.check({ from: pod('client'), to: pod('server'), protocol: 'TCP', port: 80 }).verdict).toBe(
      'allowed',
    );
    expect(() => cilium.policyEffect(key)).toThrow(
      /not enforced under the CNI profile Cilium \(policy-cidr-match-mode: pods\), which does not implement Calico NetworkPolicy/,
    );
    // A what-if that adds one is left out the same way.
    const again = cilium.whatIf([
      {
        kind: 'upsertCalicoPolicy',
        policy: (s.calicoPolicies ?? [])[0] as NonNullable<Snapshot['calicoPolicies']>[number],
      },
    ]);
    expect(again.check({ from: pod('client'), to: pod('server'), protocol: 'TCP', port: 80 }).verdict).toBe(
      'allowed',
    );
  });
});

describe('detectCni: the CNI a cluster shows in its API groups', () => {
  it('names the one CNI whose groups are served, and none when several or none are', () => {
    expect(detectCni(['apps', 'cilium.io', 'networking.k8s.io'])).toEqual({
      cni: 'cilium',
      origin: 'detected',
    });
    expect(detectCni(['crd.projectcalico.org'])).toEqual({ cni: 'calico', origin: 'detected' });
    expect(detectCni(['crd.projectcalico.org', 'projectcalico.org'])).toEqual({
      cni: 'calico',
      origin: 'detected',
    });
    expect(detectCni(['crd.antrea.io'])).toEqual({ cni: 'antrea', origin: 'detected' });
    expect(detectCni(['k8s.ovn.org'])).toEqual({ cni: 'ovn-kubernetes', origin: 'detected' });
    expect(detectCni(['cilium.io', 'crd.projectcalico.org'])).toBeUndefined();
    expect(detectCni(['apps', 'policy.networking.k8s.io'])).toBeUndefined();
  });
});
