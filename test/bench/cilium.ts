/**
 * Cilium policies in the bench: the L cluster with and without 200 CiliumNetworkPolicies /
 * CiliumClusterwideNetworkPolicies (issue 15's bar: within about 10 % of the time without them), full
 * analysis and the summary, interleaved so a busy machine slows both sides alike.
 *
 * The policies are what a Cilium shop writes: per namespace, ingress from its own namespace and from
 * monitoring with a deny of SSH (CNP, 60 %); per namespace, egress to kube-dns with a DNS L7 rule and to
 * the world on 443 (CNP, 30 %); cluster-wide, a deny of egress to the cloud metadata address and an
 * HTTP-filtered ingress to front ends (CCNP, 10 %).
 */
import { createAnalyzer } from '../../shared/eval/index.ts';
import type {
  CiliumPolicy,
  CiliumRule,
  CiliumSpec,
  LabelSelector,
  Snapshot,
} from '../../shared/model/snapshot.ts';
import { median, type RowFn } from './process.ts';

const sel = (matchLabels: Record<string, string> = {}): LabelSelector => ({
  matchLabels,
  matchExpressions: [],
});
const NS = 'kubernetes.io/metadata.name';

function spec(subject: CiliumSpec['subject'], parts: Partial<CiliumSpec>): CiliumSpec {
  const ingress = parts.ingress ?? [];
  const ingressDeny = parts.ingressDeny ?? [];
  const egress = parts.egress ?? [];
  const egressDeny = parts.egressDeny ?? [];
  return {
    subject,
    ingress,
    ingressDeny,
    egress,
    egressDeny,
    defaultDeny: {
      ingress: ingress.length + ingressDeny.length > 0,
      egress: egress.length + egressDeny.length > 0,
    },
  };
}

export function generateCiliumPolicies(snapshot: Snapshot, count: number): CiliumPolicy[] {
  const namespaces = snapshot.namespaces.map((n) => n.name).filter((n) => n.startsWith('ns-'));
  const out: CiliumPolicy[] = [];
  const push = (name: string, namespace: string | undefined, specs: CiliumSpec[]): void => {
    out.push({
      kind: namespace !== undefined ? 'CiliumNetworkPolicy' : 'CiliumClusterwideNetworkPolicy',
      apiVersion: 'cilium.io/v2',
      ...(namespace !== undefined ? { namespace } : {}),
      name,
      specs,
      multi: false,
      labels: {},
      annotations: {},
    });
  };
  const share = (f: number): number => Math.round(count * f);
  const own = (ns: string): LabelSelector => sel({ [NS]: ns });
  const tcp = (port: number): CiliumRule['toPorts'] => [{ ports: [{ protocol: 'TCP', port }] }];
  for (const ns of namespaces.slice(0, share(0.6)))
    push(`ingress-${ns}`, ns, [
      spec(
        { namespaceSelector: own(ns), podSelector: sel() },
        {
          ingress: [
            {
              peers: [{ kind: 'endpoints', namespaceSelector: own(ns), podSelector: sel() }],
              toPorts: 'any',
            },
            {
              peers: [{ kind: 'endpoints', namespaceSelector: own('monitoring'), podSelector: sel() }],
              toPorts: [{ ports: [{ protocol: 'TCP', port: 'metrics' }] }],
            },
          ],
          ingressDeny: [{ peers: 'all', toPorts: tcp(22) }],
        },
      ),
    ]);
  for (const ns of namespaces.slice(share(0.6), share(0.9)))
    push(`egress-${ns}`, ns, [
      spec(
        { namespaceSelector: own(ns), podSelector: sel() },
        {
          egress: [
            {
              peers: [
                {
                  kind: 'endpoints',
                  namespaceSelector: own('kube-system'),
                  podSelector: sel({ 'k8s-app': 'kube-dns' }),
                },
              ],
              toPorts: [
                {
                  ports: [
                    { protocol: 'UDP', port: 53 },
                    { protocol: 'TCP', port: 53 },
                  ],
                  l7: 'DNS queries for *',
                },
              ],
            },
            { peers: [{ kind: 'entity', entity: 'world' }], toPorts: tcp(443) },
            {
              peers: [{ kind: 'endpoints', namespaceSelector: own(ns), podSelector: sel() }],
              toPorts: 'any',
            },
          ],
        },
      ),
    ]);
  for (let i = 0; out.length < count; i++)
    push(`cluster-${i}`, undefined, [
      spec(
        { namespaceSelector: sel(), podSelector: sel({ tier: i % 2 === 0 ? 'web' : 'api' }) },
        {
          egressDeny: [{ peers: [{ kind: 'cidr', cidr: '169.254.169.254/32', except: [] }], toPorts: 'any' }],
          ingress: [
            {
              peers: [{ kind: 'entity', entity: 'cluster' }],
              toPorts: [{ ports: [{ protocol: 'TCP', port: 'http' }], l7: 'HTTP GET /' }],
            },
          ],
        },
      ),
    ]);
  return out;
}

/** The L cluster with and without `count` Cilium policies: full analysis and the summary. */
export function benchCilium(row: RowFn, s: Snapshot, name: string, runs = 7): void {
  const withCilium: Snapshot = { ...s, ciliumPolicies: generateCiliumPolicies(s, 200) };
  const paired = (base: () => void, other: () => void, n: number): [number, number] => {
    base();
    other();
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      base();
      xs.push(performance.now() - t);
      t = performance.now();
      other();
      ys.push(performance.now() - t);
    }
    return [median(xs), median(ys)];
  };
  const scenario = `${name} + 200 Cilium`;
  const [base, cilium] = paired(
    () => createAnalyzer(s),
    () => createAnalyzer(withCilium),
    runs,
  );
  row(
    scenario,
    'full analysis (createAnalyzer)',
    cilium,
    'ms',
    Math.round(base * 1.1),
    undefined,
    `without: ${base.toFixed(0)} ms`,
  );
  const a0 = createAnalyzer(s);
  const a1 = createAnalyzer(withCilium);
  const [sBase, sCilium] = paired(
    () => a0.summary(),
    () => a1.summary(),
    Math.min(runs, 5),
  );
  row(
    scenario,
    'summary (ns matrix, pair counts)',
    sCilium,
    'ms',
    Math.round(sBase * 1.1),
    undefined,
    `without: ${sBase.toFixed(0)} ms`,
  );
}
