/**
 * Kinds that other APIs reuse: Antrea and Amazon EKS have their own NetworkPolicy or
 * ClusterNetworkPolicy. Such an object is not a mistake in the input, only outside what netglass
 * evaluates: it is skipped with a warning. A group without a dot (`extensions/v1beta1`, a bare `v1`)
 * is Kubernetes' own, so a wrong version there stays an error the user should fix.
 */
const OWNERS: Readonly<Record<string, { readonly who: string; readonly note?: string }>> = {
  'networking.k8s.aws': { who: "Amazon EKS's own", note: ' (VPC CNI network policy agent)' },
  'crd.antrea.io': { who: "Antrea's own" },
};

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The skip warning for `what` (kind and name) when its apiVersion names another API group, else undefined. */
export function foreignApiWarning(
  what: string,
  kind: string,
  apiVersion: string,
  ownGroup: string,
): string | undefined {
  const { group } = splitApiVersion(apiVersion);
  if (group === ownGroup || !group.includes('.')) return undefined;
  const owner = OWNERS[group];
  const api =
    owner !== undefined
      ? `${owner.who} ${kind} API${owner.note ?? ''}`
      : 'another API that uses the same kind name';
  return `${what} (${apiVersion}) is not evaluated: it belongs to ${api}, not to ${ownGroup}, so verdicts ignore this object`;
}
