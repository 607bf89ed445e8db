/**
 * CNI profiles: what a cluster's network plugin does where the NetworkPolicy spec leaves room. The
 * evaluator reads three such choices and one list:
 * - whether an ipBlock (and a Cilium CIDR rule) matches the addresses of pods on the pod network;
 * - whether it matches host-network pods' addresses (their node's);
 * - whether a pod or namespace selector peer holds host-network pods (the Kubernetes docs allow either:
 *   the plugin tells their traffic apart, or sees it as the node's);
 * - which policy families the plugin enforces at all (a Calico cluster ignores CiliumNetworkPolicies).
 * Each choice is `match`, `no-match` or `unknown`; `unknown` makes a verdict that depends on it
 * `unknown`, with the reason below, instead of guessing.
 *
 * Sources, per CNI (landscape study of 2026-12): Calico matches ipBlock against pod IPs
 * (projectcalico/calico#6634) and sees host-network traffic as its node's; Cilium's CIDR rules match
 * neither pods nor nodes unless `policy-cidr-match-mode` says `pods` (cilium/cilium#45194, 1.20) or
 * `nodes`, and host-network pods are its `host`/`remote-node` entities; Antrea and OVN-Kubernetes
 * pass Kubernetes' ipBlock tests (pod IPs match) and see host-network traffic from a node gateway or
 * management-port address netglass does not read. Calico 3.32 removed the legacy admin kinds, Cilium
 * 1.20 implements ClusterNetworkPolicy only, Antrea 2.7 both (legacy deprecated), OVN-Kubernetes the
 * legacy kinds only.
 */
import type { CniName, CniProfile } from '../model/snapshot.ts';

export type CniMatch = 'match' | 'no-match' | 'unknown';

export interface CniSemantics {
  readonly profile: CniProfile;
  /** `Calico`, `Cilium (policy-cidr-match-mode: pods)`. */
  readonly label: string;
  /** An ipBlock vs the address of a pod on the pod network. */
  readonly ipBlockPods: CniMatch;
  /** An ipBlock vs a host-network pod's address (its node's). */
  readonly ipBlockHostNetwork: CniMatch;
  /** A Cilium CIDR rule vs pod addresses, and vs node addresses. */
  readonly ciliumCidr: { readonly pods: boolean; readonly nodes: boolean };
  /** A NetworkPolicy pod/namespace selector peer vs a host-network pod. */
  readonly selectorHostNetwork: CniMatch;
  /** Policy families the plugin enforces; the others are read, listed and left out of the analysis. */
  readonly enforces: {
    readonly clusterNetworkPolicy: boolean;
    readonly legacyAdmin: boolean;
    readonly cilium: boolean;
    readonly calico: boolean;
  };
}

export const CNI_LABELS: Readonly<Record<CniName, string>> = {
  upstream: 'Kubernetes tests',
  generic: 'Generic (spec only)',
  calico: 'Calico',
  cilium: 'Cilium',
  antrea: 'Antrea',
  'ovn-kubernetes': 'OVN-Kubernetes',
};

/** One line per profile, for pickers and `--help`. */
export const CNI_DESCRIPTIONS: Readonly<Record<CniName, string>> = {
  upstream:
    'as Kubernetes’ network policy tests expect: ipBlock matches pod and node addresses, selectors hold host-network pods',
  generic: 'only what the spec fixes: where a verdict depends on the CNI, it is unknown',
  calico:
    'ipBlock matches pod and node addresses; host-network pods send as their node; no legacy admin kinds',
  cilium:
    'CIDR rules match pods or nodes only with policy-cidr-match-mode; host-network pods are the host entity; ClusterNetworkPolicy only',
  antrea: 'ipBlock matches pod addresses; host-network traffic comes from a node gateway address',
  'ovn-kubernetes':
    'ipBlock matches pod addresses; host-network traffic comes from a management-port address; legacy admin kinds only',
};

const ALL = { clusterNetworkPolicy: true, legacyAdmin: true, cilium: true, calico: true } as const;

export function cniSemantics(profile: CniProfile | undefined): CniSemantics {
  const p: CniProfile = profile ?? { cni: 'upstream' };
  const base = { profile: p, label: cniLabel(p), ciliumCidr: { pods: false, nodes: false } };
  switch (p.cni) {
    case 'upstream':
      return {
        ...base,
        ipBlockPods: 'match',
        ipBlockHostNetwork: 'match',
        selectorHostNetwork: 'match',
        enforces: ALL,
      };
    case 'generic':
      return {
        ...base,
        ipBlockPods: 'unknown',
        ipBlockHostNetwork: 'unknown',
        selectorHostNetwork: 'unknown',
        enforces: ALL,
      };
    case 'calico':
      return {
        ...base,
        ipBlockPods: 'match',
        ipBlockHostNetwork: 'match',
        selectorHostNetwork: 'no-match',
        enforces: { clusterNetworkPolicy: true, legacyAdmin: false, cilium: false, calico: true },
      };
    case 'cilium': {
      const modes = p.ciliumCidrMatch ?? [];
      const pods = modes.includes('pods');
      const nodes = modes.includes('nodes');
      return {
        ...base,
        ciliumCidr: { pods, nodes },
        ipBlockPods: pods ? 'match' : 'no-match',
        ipBlockHostNetwork: nodes ? 'match' : 'no-match',
        selectorHostNetwork: 'no-match',
        enforces: { clusterNetworkPolicy: true, legacyAdmin: false, cilium: true, calico: false },
      };
    }
    case 'antrea':
      return {
        ...base,
        ipBlockPods: 'match',
        ipBlockHostNetwork: 'unknown',
        selectorHostNetwork: 'no-match',
        enforces: { clusterNetworkPolicy: true, legacyAdmin: true, cilium: false, calico: false },
      };
    case 'ovn-kubernetes':
      return {
        ...base,
        ipBlockPods: 'match',
        ipBlockHostNetwork: 'unknown',
        selectorHostNetwork: 'no-match',
        enforces: { clusterNetworkPolicy: false, legacyAdmin: true, cilium: false, calico: false },
      };
  }
}

export function cniLabel(p: CniProfile): string {
  const modes = p.cni === 'cilium' ? (p.ciliumCidrMatch ?? []) : [];
  return modes.length > 0
    ? `${CNI_LABELS[p.cni]} (policy-cidr-match-mode: ${modes.join(',')})`
    : CNI_LABELS[p.cni];
}

/** Whether some choice of the profile is `unknown` (the evaluator then computes possible answers too). */
export function cniUncertain(s: CniSemantics): boolean {
  return (
    s.ipBlockPods === 'unknown' || s.ipBlockHostNetwork === 'unknown' || s.selectorHostNetwork === 'unknown'
  );
}

/** Why a side is unknown because of the CNI: which choice, under which profile, and what to do. */
export function cniReason(s: CniSemantics, what: 'ipBlock-pod' | 'ipBlock-host' | 'selector-host'): string {
  const choice =
    what === 'ipBlock-pod'
      ? 'whether an ipBlock matches pod addresses'
      : what === 'ipBlock-host'
        ? 'whether an ipBlock matches a host-network pod (its traffic may come from a node or gateway address)'
        : 'whether a pod selector holds a host-network pod';
  return `${choice} depends on the CNI (profile ${s.label}); choose the cluster's CNI to decide it`;
}

/** API groups that only one CNI installs: finding one names the cluster's CNI. */
const CNI_API_GROUPS: readonly (readonly [string, CniName])[] = [
  ['cilium.io', 'cilium'],
  ['crd.projectcalico.org', 'calico'],
  ['projectcalico.org', 'calico'],
  ['crd.antrea.io', 'antrea'],
  ['k8s.ovn.org', 'ovn-kubernetes'],
];

/**
 * The CNI a cluster's API groups (discovery) show, or undefined when none or more than one does (a
 * person then chooses). Cilium's policy-cidr-match-mode is not in discovery: it stays Cilium's default.
 */
export function detectCni(groups: readonly string[]): CniProfile | undefined {
  const found = new Set(CNI_API_GROUPS.filter(([g]) => groups.includes(g)).map(([, cni]) => cni));
  if (found.size !== 1) return undefined;
  const [cni] = [...found] as [CniName];
  return { cni, origin: 'detected' };
}
