/**
 * Manifest text → the objects netglass models (namespaces, pods, network policies, workloads), with a
 * LoadIssue for every problem. Validation follows the API server (k8s pkg/apis/networking/validation
 * and apimachinery's label/name rules) where it applies. An object with an error is not loaded, and
 * each of its error messages says so: a policy loaded half-way would give wrong verdicts.
 */
import type {
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoTier,
  CiliumPolicy,
  ClusterNetworkPolicy,
  ContainerPort,
  IPBlock,
  LabelSelector,
  Labels,
  LoadIssue,
  Namespace,
  NetworkPolicy,
  Pod,
  PodOwner,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  PolicyType,
  SourceLocation,
} from '../model/snapshot.ts';
import { NAMESPACE_NAME_LABEL } from '../model/snapshot.ts';
import { isStrictSubset, parseCIDR, parseIP, withoutLeadingZeros } from '../net/address.ts';
import type { ParsedCIDR } from '../net/address.ts';
import { readAdminPolicy } from './admin-policy.ts';
import { readCiliumPolicy } from './cilium-policy.ts';
import { isCalicoObject, readCalicoObject } from './calico-policy.ts';
import {
  checkName,
  markNotLoaded,
  quoteHint,
  readAnnotations,
  readLabels,
  readProtocol,
  readSelector,
} from './common-fields.ts';
import type { RawObject } from './common-fields.ts';
import type { FieldPath, RawDocument } from './documents.ts';
import { readDocuments } from './documents.ts';
import { checkUnknownFields } from './field-schema.ts';
import { ObjectContext, describe, isObject } from './fields.ts';
import type { JsonObject } from './fields.ts';
import { foreignApiWarning, splitApiVersion } from './foreign-api.ts';
import { closest, dns1123Label, editDistance, portName, portNumber } from './names.ts';

export type WorkloadKind =
  'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'ReplicationController' | 'Job' | 'CronJob';

/** The apiVersions served for each workload kind. */
export const WORKLOAD_API_VERSIONS: Readonly<Record<WorkloadKind, readonly string[]>> = {
  Deployment: ['apps/v1'],
  StatefulSet: ['apps/v1'],
  DaemonSet: ['apps/v1'],
  ReplicaSet: ['apps/v1'],
  ReplicationController: ['v1'],
  Job: ['batch/v1'],
  CronJob: ['batch/v1'],
};

/**
 * At most this many pods stand for one workload's template (replicas beyond it are identical for
 * policy purposes and would only crowd the graph).
 */
export const MAX_TEMPLATE_PODS = 3;

/** A workload whose pod template gives pods (see buildSnapshot). */
export interface Workload {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  /** spec.replicas (default 1); 1 for DaemonSet, Job and CronJob. */
  readonly replicas: number;
  /** The pod template's labels, container ports and hostNetwork. */
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** The workload's own controller (ReplicaSet → Deployment, Job → CronJob), if known. */
  readonly owner?: PodOwner;
  readonly location?: SourceLocation;
}

export interface ManifestParse {
  readonly file: string;
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  readonly policies: readonly NetworkPolicy[];
  readonly clusterPolicies: readonly ClusterNetworkPolicy[];
  readonly ciliumPolicies: readonly CiliumPolicy[];
  /** Calico policies, tiers and network sets (absent in parses made before Calico was read). */
  readonly calicoPolicies?: readonly CalicoPolicy[];
  readonly calicoTiers?: readonly CalicoTier[];
  readonly calicoNetworkSets?: readonly CalicoNetworkSet[];
  readonly workloads: readonly Workload[];
  readonly issues: readonly LoadIssue[];
  /** Objects of kinds netglass does not model, counted per kind. */
  readonly skippedKinds: Readonly<Record<string, number>>;
  /** Which reader read the text. */
  readonly reader: string;
}

/** Kinds from other policy engines: skipped, with a warning that verdicts ignore them. */
const OTHER_POLICY_KINDS = new Set(['GlobalNetworkPolicy', 'AuthorizationPolicy', 'MultiNetworkPolicy']);

const POLICY_TYPES: readonly PolicyType[] = ['Ingress', 'Egress'];

interface Collector {
  readonly namespaces: Namespace[];
  readonly pods: Pod[];
  readonly policies: NetworkPolicy[];
  readonly clusterPolicies: ClusterNetworkPolicy[];
  readonly ciliumPolicies: CiliumPolicy[];
  readonly calicoPolicies: CalicoPolicy[];
  readonly calicoTiers: CalicoTier[];
  readonly calicoNetworkSets: CalicoNetworkSet[];
  readonly workloads: Workload[];
  readonly issues: LoadIssue[];
  readonly skippedKinds: Record<string, number>;
  /** Refuse unknown fields as kubectl's strict validation does (not for objects a server took). */
  readonly strictFields: boolean;
}

/** Parses one manifest file's text. Never throws; every problem becomes a LoadIssue naming `file`. */
export function parseManifestText(
  text: string,
  file: string,
  options: { noFastYaml?: boolean } = {},
): ManifestParse {
  const read = readDocuments(text, file, options);
  return parseDocuments(read.docs, file, read.issues, read.reader, true);
}

/**
 * One object that is already a JSON value (a live API object), read as a manifest document would be.
 * Its issues point at `file` (a label such as `context prod`), line 1: there is no text to point into.
 */
export function parseManifestValue(value: unknown, file: string): ManifestParse {
  // No unknown-field check: the server took the object, and its schema may be newer than netglass's.
  return parseDocuments([{ value, locate: () => ({ line: 1, column: 1 }) }], file, [], 'object', false);
}

function parseDocuments(
  docs: readonly RawDocument[],
  file: string,
  readIssues: readonly LoadIssue[],
  reader: string,
  strictFields: boolean,
): ManifestParse {
  const out: Collector = {
    namespaces: [],
    pods: [],
    policies: [],
    clusterPolicies: [],
    ciliumPolicies: [],
    calicoPolicies: [],
    calicoTiers: [],
    calicoNetworkSets: [],
    workloads: [],
    issues: [...readIssues],
    skippedKinds: {},
    strictFields,
  };
  for (const doc of docs) {
    try {
      handleDocument(out, file, doc, undefined, 0);
    } catch (e) {
      // A bug here must not lose the rest of the input.
      out.issues.push({
        severity: 'error',
        message: `internal error while reading this object: ${e instanceof Error ? e.message : String(e)}; it was not loaded`,
        location: { file, ...doc.locate([]) },
      });
    }
  }
  // Messages in text order (the parse reports some problems, like unknown fields, before others).
  const issues = out.issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => {
      const la = a.issue.location;
      const lb = b.issue.location;
      if (!la || !lb) return a.i - b.i;
      return la.line - lb.line || la.column - lb.column || a.i - b.i;
    })
    .map((x) => x.issue);
  const { strictFields: _strict, ...parsed } = out;
  return { file, ...parsed, issues, reader };
}

interface ListDefaults {
  readonly kind?: string;
  readonly apiVersion?: unknown;
}

function handleDocument(
  out: Collector,
  file: string,
  doc: RawDocument,
  defaults: ListDefaults | undefined,
  depth: number,
): void {
  const ctx = new ObjectContext(file, doc, out.issues, out.strictFields);
  const value = doc.value;
  if (value === null || value === undefined) return;
  if (!isObject(value)) {
    ctx.error(
      [],
      `a manifest document must be a mapping (a Kubernetes object), got ${describe(value)}; it was not loaded`,
    );
    return;
  }
  let kind: unknown = value['kind'];
  let apiVersion: unknown = value['apiVersion'];
  if ((kind === undefined || kind === null) && defaults?.kind !== undefined) kind = defaults.kind;
  if ((apiVersion === undefined || apiVersion === null) && defaults?.apiVersion !== undefined)
    apiVersion = defaults.apiVersion;

  if (typeof kind === 'string' && kind.endsWith('List') && 'items' in value) {
    const items = ctx.list(value['items'], ['items'], 'the objects of the list');
    if (!items) return;
    if (depth > 4) {
      ctx.error(['items'], 'lists nested more than 4 deep are not supported; not loaded');
      return;
    }
    const itemDefaults: ListDefaults =
      kind === 'List' ? {} : { kind: kind.slice(0, -'List'.length), apiVersion };
    items.forEach((item, i) => {
      handleDocument(
        out,
        file,
        { value: item, locate: (p: FieldPath) => doc.locate(['items', i, ...p]) },
        itemDefaults,
        depth + 1,
      );
    });
    return;
  }

  // A kustomization sits beside the manifests it builds and has no metadata: not an error, but the
  // manifests are read as written, which may not be what kustomize would apply.
  if (typeof apiVersion === 'string' && apiVersion.startsWith('kustomize.config.k8s.io/')) {
    const what = typeof kind === 'string' && kind !== '' ? kind : 'kustomize file';
    out.skippedKinds[what] = (out.skippedKinds[what] ?? 0) + 1;
    ctx.warn(
      ['kind'],
      `this ${what} is kustomize's build file, not a Kubernetes object: the manifests beside it are read as written, without its patches, name prefixes or namespace; to analyse what kustomize builds, save the output of kubectl kustomize <dir> to a file and give that file instead`,
    );
    return;
  }
  const missing: string[] = [];
  if (typeof kind !== 'string' || kind === '') {
    if (kind !== undefined && kind !== null)
      ctx.error(['kind'], `must be a string, got ${describe(kind)}; the object was not loaded`);
    else missing.push('kind');
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    if (apiVersion !== undefined && apiVersion !== null) {
      ctx.error(['apiVersion'], `must be a string, got ${describe(apiVersion)}; the object was not loaded`);
    } else missing.push('apiVersion');
  }
  const metadata = value['metadata'];
  let name: string | undefined;
  if (metadata === undefined || metadata === null) {
    missing.push('metadata.name');
  } else if (!isObject(metadata)) {
    ctx.error(
      ['metadata'],
      `must be a mapping (the object's metadata), got ${describe(metadata)}; the object was not loaded`,
    );
  } else {
    const n = metadata['name'];
    if (typeof n === 'string' && n !== '') name = n;
    else if (n !== undefined && n !== null && n !== '') {
      ctx.error(
        ['metadata', 'name'],
        `must be a string, got ${describe(n)}${quoteHint(n)}; the object was not loaded`,
      );
    } else {
      missing.push(
        typeof metadata['generateName'] === 'string'
          ? 'metadata.name (generateName needs a server to pick a name)'
          : 'metadata.name',
      );
    }
  }
  if (missing.length > 0) {
    const what = typeof kind === 'string' && kind !== '' ? `this ${kind}` : 'this document';
    for (const m of missing) {
      const field = m.split(' ')[0] ?? m;
      ctx.error(
        field.split('.'),
        `${field} is missing${m !== field ? ` ${m.slice(field.length + 1)}` : ''}; ${what} was not loaded`,
      );
    }
    return;
  }
  if (
    ctx.failed ||
    typeof kind !== 'string' ||
    typeof apiVersion !== 'string' ||
    name === undefined ||
    !isObject(metadata)
  )
    return;

  const obj: RawObject = { value, metadata, kind, apiVersion, name };
  // Calico's NetworkPolicy shares its kind with Kubernetes': the API group tells them apart.
  if (isCalicoObject(apiVersion, kind)) {
    const namespaced = kind === 'NetworkPolicy' || kind === 'StagedNetworkPolicy' || kind === 'NetworkSet';
    readCalicoObject(out, ctx, obj, kind, namespaced ? objectNamespace(ctx, obj) : '');
    return;
  }
  switch (kind) {
    case 'Namespace':
      if (checkApiVersion(ctx, obj, ['v1'], true)) readNamespace(out, ctx, obj);
      return;
    case 'Pod':
      if (checkApiVersion(ctx, obj, ['v1'], true)) readPod(out, ctx, obj);
      return;
    case 'NetworkPolicy': {
      const foreign = foreignApiWarning(
        `NetworkPolicy ${typeof metadata['namespace'] === 'string' ? `${metadata['namespace']}/` : ''}${name}`,
        kind,
        apiVersion,
        'networking.k8s.io',
      );
      if (foreign !== undefined) {
        const key = `NetworkPolicy (${splitApiVersion(apiVersion).group})`;
        out.skippedKinds[key] = (out.skippedKinds[key] ?? 0) + 1;
        ctx.warn(['apiVersion'], foreign);
      } else if (checkApiVersion(ctx, obj, ['networking.k8s.io/v1'], true)) readPolicy(out, ctx, obj);
      return;
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
    case 'CronJob':
      if (checkApiVersion(ctx, obj, WORKLOAD_API_VERSIONS[kind], false)) readWorkload(out, ctx, obj, kind);
      else out.skippedKinds[kind] = (out.skippedKinds[kind] ?? 0) + 1;
      return;
    case 'ClusterNetworkPolicy':
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
      readAdminPolicy(out, ctx, obj, kind);
      return;
    case 'CiliumNetworkPolicy':
      readCiliumPolicy(out, ctx, obj, kind, objectNamespace(ctx, obj));
      return;
    case 'CiliumClusterwideNetworkPolicy':
      readCiliumPolicy(out, ctx, obj, kind, '');
      return;
    default: {
      out.skippedKinds[kind] = (out.skippedKinds[kind] ?? 0) + 1;
      const meant = misspeltKind(kind);
      if (meant !== undefined) {
        ctx.object = `${kind} ${typeof metadata['namespace'] === 'string' ? `${metadata['namespace']}/` : ''}${name}`;
        ctx.warn(
          ['kind'],
          `unknown kind ${JSON.stringify(kind)} (did you mean ${meant}?); ${ctx.object} was skipped, so verdicts ignore it`,
          { kind: 'unknown-kind', written: kind, meant },
        );
      }
      if (OTHER_POLICY_KINDS.has(kind)) {
        ctx.warn(
          ['kind'],
          `${kind} ${name} (${apiVersion}) is not evaluated: netglass models NetworkPolicy (networking.k8s.io/v1), the admin network policies (policy.networking.k8s.io), Cilium's policies (cilium.io) and Calico's (projectcalico.org) only, so verdicts ignore this object`,
        );
      }
    }
  }
}

/** The kinds read above (Calico's are told apart by their API group first). */
const READ_KINDS: readonly string[] = [
  'Namespace',
  'Pod',
  'NetworkPolicy',
  ...Object.keys(WORKLOAD_API_VERSIONS),
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
];

/**
 * The kind netglass reads that a skipped `kind` most likely misspells (`NetworkPolicyy`,
 * `networkpolicy`), else undefined: skipped silently, such a policy would change no verdict. Short
 * kinds take one edit, so that real kinds nearby (`CronTab` by `CronJob`, `Node` by `Pod`) stay quiet.
 */
function misspeltKind(kind: string): string | undefined {
  // Asked for every skipped object (thousands of Services and ConfigMaps): the answer is the kind's.
  const memo = MISSPELT.get(kind);
  if (memo !== undefined) return memo === null ? undefined : memo;
  const k = kind.toLowerCase();
  const meant = READ_KINDS.find((known) => {
    const d = editDistance(k, known.toLowerCase());
    return d === 0 || (known.length >= 4 && d <= (known.length >= 10 ? 2 : 1));
  });
  MISSPELT.set(kind, meant ?? null);
  return meant;
}

/** `misspeltKind`'s answers by kind (null: none); as many entries as distinct kinds ever read. */
const MISSPELT = new Map<string, string | null>();

function checkApiVersion(
  ctx: ObjectContext,
  obj: RawObject,
  served: readonly string[],
  isError: boolean,
): boolean {
  if (served.includes(obj.apiVersion)) return true;
  const msg = `apiVersion ${JSON.stringify(obj.apiVersion)} is not supported for ${obj.kind}; expected ${served.join(' or ')}`;
  if (isError) ctx.error(['apiVersion'], `${msg}; ${obj.kind} ${obj.name} was not loaded`);
  else ctx.warn(['apiVersion'], `${msg}; ${obj.kind} ${obj.name} was skipped`);
  return false;
}

function objectNamespace(ctx: ObjectContext, obj: RawObject): string {
  const ns = obj.metadata['namespace'];
  if (ns === undefined || ns === null || ns === '') return 'default';
  if (typeof ns !== 'string') {
    ctx.error(
      ['metadata', 'namespace'],
      `must be a string (a namespace name), got ${describe(ns)}${quoteHint(ns)}`,
    );
    return 'default';
  }
  const errs = dns1123Label(ns);
  if (errs.length > 0)
    ctx.error(
      ['metadata', 'namespace'],
      `${JSON.stringify(ns)} is not a valid namespace name: ${errs.join('; ')}`,
    );
  return ns;
}

// ---------------------------------------------------------------- Namespace

function readNamespace(out: Collector, ctx: ObjectContext, obj: RawObject): void {
  ctx.object = `Namespace ${obj.name}`;
  const start = ctx.issues.length;
  if (ctx.strictFields) checkUnknownFields(ctx, obj.value, obj.apiVersion, obj.kind);
  checkName(ctx, obj, 'label');
  const labels = readLabels(ctx, obj.metadata['labels'], ['metadata', 'labels'], 'labels', true);
  const declaredName = labels[NAMESPACE_NAME_LABEL];
  if (declaredName !== undefined && declaredName !== obj.name) {
    ctx.warn(
      ['metadata', 'labels', NAMESPACE_NAME_LABEL],
      `the API server sets ${NAMESPACE_NAME_LABEL} to the namespace name; ${JSON.stringify(declaredName)} is replaced by ${JSON.stringify(obj.name)}`,
    );
  }
  if (ctx.failed) {
    markNotLoaded(ctx, start, `Namespace ${obj.name}`);
    return;
  }
  out.namespaces.push({
    name: obj.name,
    labels: { ...labels, [NAMESPACE_NAME_LABEL]: obj.name },
    declared: true,
    location: ctx.location([]),
  });
}

// ---------------------------------------------------------------- Pods and workloads

function readContainerPorts(ctx: ObjectContext, podSpec: JsonObject, path: FieldPath): ContainerPort[] {
  const ports: ContainerPort[] = [];
  const containers = ctx.list(podSpec['containers'], [...path, 'containers'], 'containers');
  if (!containers) return ports;
  containers.forEach((c, ci) => {
    const cpath = [...path, 'containers', ci];
    const container = ctx.object_(c, cpath, 'a container');
    if (!container) return;
    const list = ctx.list(container['ports'], [...cpath, 'ports'], 'container ports');
    if (!list) return;
    list.forEach((p, pi) => {
      const ppath = [...cpath, 'ports', pi];
      const port = ctx.object_(p, ppath, 'a container port');
      if (!port) return;
      const num = ctx.integer(port['containerPort'], [...ppath, 'containerPort'], 'a port number');
      if (num === undefined) {
        if (port['containerPort'] === undefined || port['containerPort'] === null) {
          ctx.error(
            [...ppath, 'containerPort'],
            'containerPort is missing (a port number from 1 to 65535 is required)',
          );
        }
        return;
      }
      const numErrs = portNumber(num);
      if (numErrs.length > 0) {
        ctx.error([...ppath, 'containerPort'], `${num} ${numErrs.join('; ')}`);
        return;
      }
      const protocol = readProtocol(ctx, port['protocol'], [...ppath, 'protocol']);
      const name = ctx.string(port['name'], [...ppath, 'name'], 'a port name');
      if (name !== undefined) {
        const errs = portName(name);
        if (errs.length > 0) {
          ctx.error(
            [...ppath, 'name'],
            `${JSON.stringify(name)} is not a valid port name (IANA_SVC_NAME): ${errs.join('; ')}`,
          );
          return;
        }
      }
      if (protocol === undefined) return;
      ports.push(
        name !== undefined ? { name, containerPort: num, protocol } : { containerPort: num, protocol },
      );
    });
  });
  return ports;
}

function readOwner(ctx: ObjectContext, obj: RawObject, labels: Labels): PodOwner | undefined {
  const refs = obj.metadata['ownerReferences'];
  if (refs === undefined || refs === null) return undefined;
  if (!Array.isArray(refs)) {
    ctx.warn(['metadata', 'ownerReferences'], `must be a list, got ${describe(refs)}; ignored`);
    return undefined;
  }
  const valid = refs.filter(
    (r): r is JsonObject => isObject(r) && typeof r['kind'] === 'string' && typeof r['name'] === 'string',
  );
  const ref = valid.find((r) => r['controller'] === true) ?? valid[0];
  if (!ref) return undefined;
  return liftReplicaSetOwner({ kind: ref['kind'] as string, name: ref['name'] as string }, labels);
}

/** A ReplicaSet named `<deployment>-<pod-template-hash>` belongs to that Deployment. */
export function liftReplicaSetOwner(owner: PodOwner, labels: Labels): PodOwner {
  const hash = labels['pod-template-hash'];
  if (
    owner.kind === 'ReplicaSet' &&
    hash &&
    owner.name.endsWith(`-${hash}`) &&
    owner.name.length > hash.length + 1
  ) {
    return { kind: 'Deployment', name: owner.name.slice(0, -(hash.length + 1)) };
  }
  return owner;
}

function readPodIPs(ctx: ObjectContext, status: JsonObject): string[] {
  const ips: string[] = [];
  const add = (v: unknown, path: FieldPath): void => {
    if (typeof v !== 'string' || v === '') {
      if (v !== undefined && v !== null && v !== '')
        ctx.warn(path, `must be a string (an IP address), got ${describe(v)}; ignored`);
      return;
    }
    if (ips.includes(v)) return; // podIP repeats podIPs[0]: parsed once
    const parsed = parseIP(v);
    if (typeof parsed === 'string') {
      ctx.warn(path, `${parsed}; ignored`);
      return;
    }
    ips.push(v);
  };
  const podIPs = status['podIPs'];
  if (Array.isArray(podIPs)) {
    podIPs.forEach((entry, i) => {
      if (isObject(entry)) add(entry['ip'], ['status', 'podIPs', i, 'ip']);
      else
        ctx.warn(
          ['status', 'podIPs', i],
          `must be a mapping with an ip field, got ${describe(entry)}; ignored`,
        );
    });
  } else if (podIPs !== undefined && podIPs !== null) {
    ctx.warn(['status', 'podIPs'], `must be a list, got ${describe(podIPs)}; ignored`);
  }
  add(status['podIP'], ['status', 'podIP']);
  return ips;
}

function readPod(out: Collector, ctx: ObjectContext, obj: RawObject): void {
  const start = ctx.issues.length;
  const namespace = objectNamespace(ctx, obj);
  ctx.object = `Pod ${namespace}/${obj.name}`;
  if (ctx.strictFields) checkUnknownFields(ctx, obj.value, obj.apiVersion, obj.kind);
  checkName(ctx, obj, 'subdomain');
  const labels = readLabels(ctx, obj.metadata['labels'], ['metadata', 'labels'], 'labels', true);
  const spec = ctx.object_(obj.value['spec'], ['spec'], 'the pod spec') ?? {};
  const ports = readContainerPorts(ctx, spec, ['spec']);
  const hostNetwork = ctx.boolean(spec['hostNetwork'], ['spec', 'hostNetwork'], 'hostNetwork') ?? false;
  const status = isObject(obj.value['status']) ? obj.value['status'] : {};
  const ips = readPodIPs(ctx, status);
  const phase = typeof status['phase'] === 'string' ? status['phase'] : undefined;
  const owner = readOwner(ctx, obj, labels);
  if (ctx.failed) {
    markNotLoaded(ctx, start, `Pod ${namespace}/${obj.name}`);
    return;
  }
  out.pods.push({
    namespace,
    name: obj.name,
    labels,
    ips,
    ports,
    ...(phase !== undefined ? { phase } : {}),
    hostNetwork,
    ...(owner ? { owner } : {}),
    fromTemplate: false,
    location: ctx.location([]),
  });
}

function readWorkload(out: Collector, ctx: ObjectContext, obj: RawObject, kind: WorkloadKind): void {
  const start = ctx.issues.length;
  const namespace = objectNamespace(ctx, obj);
  ctx.object = `${kind} ${namespace}/${obj.name}`;
  checkName(ctx, obj, 'subdomain');
  const ownLabels = readLabels(ctx, obj.metadata['labels'], ['metadata', 'labels'], 'labels', true);
  const spec = ctx.object_(obj.value['spec'], ['spec'], `the ${kind} spec`) ?? {};
  let templatePath: FieldPath = ['spec', 'template'];
  let template: unknown = spec['template'];
  if (kind === 'CronJob') {
    templatePath = ['spec', 'jobTemplate', 'spec', 'template'];
    const jt = ctx.object_(spec['jobTemplate'], ['spec', 'jobTemplate'], 'the job template');
    const jts = jt ? ctx.object_(jt['spec'], ['spec', 'jobTemplate', 'spec'], 'the job spec') : undefined;
    template = jts?.['template'];
  }
  let replicas = 1;
  if (
    kind === 'Deployment' ||
    kind === 'StatefulSet' ||
    kind === 'ReplicaSet' ||
    kind === 'ReplicationController'
  ) {
    const r = ctx.integer(spec['replicas'], ['spec', 'replicas'], 'a replica count');
    if (r !== undefined && r < 0) ctx.error(['spec', 'replicas'], `must be 0 or more, got ${r}`);
    else if (r !== undefined) replicas = r;
  }
  const tpl = ctx.object_(template, templatePath, 'a pod template');
  if (!tpl && !ctx.failed)
    ctx.error(templatePath, `${templatePath.join('.')} is missing: a ${kind} needs a pod template`);
  const tmeta = tpl
    ? (ctx.object_(tpl['metadata'], [...templatePath, 'metadata'], 'the template metadata') ?? {})
    : {};
  const labels = readLabels(ctx, tmeta['labels'], [...templatePath, 'metadata', 'labels'], 'labels', true);
  const tspec = tpl ? (ctx.object_(tpl['spec'], [...templatePath, 'spec'], 'the pod spec') ?? {}) : {};
  const ports = readContainerPorts(ctx, tspec, [...templatePath, 'spec']);
  const hostNetwork =
    ctx.boolean(tspec['hostNetwork'], [...templatePath, 'spec', 'hostNetwork'], 'hostNetwork') ?? false;
  const owner = readOwner(ctx, obj, ownLabels);
  if (ctx.failed) {
    markNotLoaded(ctx, start, `${kind} ${namespace}/${obj.name}`);
    return;
  }
  out.workloads.push({
    kind,
    namespace,
    name: obj.name,
    replicas,
    labels,
    ports,
    hostNetwork,
    ...(owner ? { owner } : {}),
    location: ctx.location([]),
  });
}

// ---------------------------------------------------------------- NetworkPolicy

function readPolicyPort(ctx: ObjectContext, value: unknown, path: FieldPath): PolicyPort | undefined {
  // A null entry decodes to a zero NetworkPolicyPort: TCP, every port.
  const p = value === null ? {} : ctx.object_(value, path, 'a port with protocol, port and endPort');
  if (!p) return undefined;
  ctx.unknownFields(p, path, ['protocol', 'port', 'endPort']);
  const protocol = readProtocol(ctx, p['protocol'], [...path, 'protocol']);
  const portRaw = p['port'];
  let port: number | string | undefined;
  if (portRaw === undefined || portRaw === null) {
    port = undefined;
  } else if (typeof portRaw === 'number') {
    if (!Number.isInteger(portRaw)) {
      ctx.error([...path, 'port'], `must be an integer port number or a port name, got ${describe(portRaw)}`);
    } else {
      const errs = portNumber(portRaw);
      if (errs.length > 0) ctx.error([...path, 'port'], `${portRaw} ${errs.join('; ')}`);
      port = portRaw;
    }
  } else if (typeof portRaw === 'string') {
    const errs = portName(portRaw);
    if (errs.length > 0) {
      const hint = /^[0-9]+$/.test(portRaw) ? ` (a port number must not be quoted: ${portRaw})` : '';
      ctx.error(
        [...path, 'port'],
        `${JSON.stringify(portRaw)} is not a valid port name (IANA_SVC_NAME): ${errs.join('; ')}${hint}`,
      );
    }
    port = portRaw;
  } else {
    ctx.error([...path, 'port'], `must be a port number or a port name, got ${describe(portRaw)}`);
  }
  const endRaw = p['endPort'];
  let endPort: number | undefined;
  if (endRaw !== undefined && endRaw !== null) {
    endPort = ctx.integer(endRaw, [...path, 'endPort'], 'the last port of a range');
    if (endPort !== undefined) {
      if (portRaw === undefined || portRaw === null) {
        ctx.error([...path, 'endPort'], 'may not be specified when port is not specified');
      } else if (typeof port === 'string') {
        ctx.error(
          [...path, 'endPort'],
          `may not be specified when port is a named port (${JSON.stringify(port)})`,
        );
      } else if (typeof port === 'number') {
        if (endPort < port)
          ctx.error([...path, 'endPort'], `must be greater than or equal to port (${port}), got ${endPort}`);
        const errs = portNumber(endPort);
        if (errs.length > 0) ctx.error([...path, 'endPort'], `${endPort} ${errs.join('; ')}`);
      }
    }
  }
  if (protocol === undefined) return undefined;
  return {
    protocol,
    ...(port !== undefined ? { port } : {}),
    ...(endPort !== undefined ? { endPort } : {}),
  };
}

function readCIDR(ctx: ObjectContext, value: unknown, path: FieldPath): ParsedCIDR | undefined {
  if (typeof value !== 'string') {
    if (value === undefined || value === null || value === '')
      ctx.error(path, 'cidr is missing (e.g. 10.0.0.0/16)');
    else ctx.error(path, `must be a string (a CIDR like 10.0.0.0/16), got ${describe(value)}`);
    return undefined;
  }
  const c = parseCIDR(value);
  if (typeof c === 'string') {
    const fixed = withoutLeadingZeros(value);
    ctx.error(path, c, fixed !== undefined ? { kind: 'ip-leading-zero', written: value } : undefined);
    return undefined;
  }
  if (c.hostBitsSet)
    ctx.warn(path, `${value} has host bits set; it is treated as ${c.canonical}`, {
      kind: 'cidr-host-bits',
      written: value,
      canonical: c.canonical,
    });
  return c;
}

function readIPBlock(ctx: ObjectContext, value: unknown, path: FieldPath): IPBlock | undefined {
  const b = ctx.object_(value, path, 'an ipBlock with cidr and except');
  if (!b) return undefined;
  ctx.unknownFields(b, path, ['cidr', 'except']);
  const cidr = readCIDR(ctx, b['cidr'], [...path, 'cidr']);
  const except: string[] = [];
  const list = ctx.list(b['except'], [...path, 'except'], 'CIDRs to exclude');
  list?.forEach((e, i) => {
    const epath = [...path, 'except', i];
    if (typeof e !== 'string') {
      ctx.error(epath, `must be a string (a CIDR), got ${describe(e)}`);
      return;
    }
    const c = readCIDR(ctx, e, epath);
    if (!c || !cidr) return;
    if (!isStrictSubset(c, cidr)) ctx.error(epath, `${e} must be a strict subset of cidr ${cidr.canonical}`);
    except.push(c.canonical);
  });
  if (!cidr) return undefined;
  return { cidr: cidr.canonical, except };
}

function readPeer(ctx: ObjectContext, value: unknown, path: FieldPath): PolicyPeer | undefined {
  const p =
    value === null ? {} : ctx.object_(value, path, 'a peer with podSelector, namespaceSelector or ipBlock');
  if (!p) return undefined;
  ctx.unknownFields(p, path, ['podSelector', 'namespaceSelector', 'ipBlock']);
  const has = (k: string): boolean => p[k] !== undefined && p[k] !== null;
  const count = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(has).length;
  if (count === 0) {
    ctx.error(
      path,
      'must specify a peer: podSelector, namespaceSelector or ipBlock (an empty peer is not allowed)',
    );
    return undefined;
  }
  const ipBlock = has('ipBlock') ? readIPBlock(ctx, p['ipBlock'], [...path, 'ipBlock']) : undefined;
  const podSelector = has('podSelector')
    ? readSelector(ctx, p['podSelector'], [...path, 'podSelector'])
    : undefined;
  const namespaceSelector = has('namespaceSelector')
    ? readSelector(ctx, p['namespaceSelector'], [...path, 'namespaceSelector'])
    : undefined;
  if (has('ipBlock') && count > 1) {
    ctx.error(
      path,
      'may not specify both ipBlock and another peer (podSelector/namespaceSelector); use separate peers',
    );
    return undefined;
  }
  if (has('ipBlock')) return ipBlock ? { kind: 'ipBlock', ipBlock } : undefined;
  return {
    kind: 'selector',
    ...(podSelector ? { podSelector } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
  };
}

function readRules(
  ctx: ObjectContext,
  value: unknown,
  path: FieldPath,
  direction: 'ingress' | 'egress',
): PolicyRule[] {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const rules: PolicyRule[] = [];
  const list = ctx.list(value, path, `${direction} rules`);
  list?.forEach((r, i) => {
    const rpath = [...path, i];
    let rule: JsonObject | undefined;
    if (r === null) {
      ctx.warn(
        rpath,
        `an empty (null) ${direction} rule is read as {}, which allows all traffic; write {} to say so`,
      );
      rule = {};
    } else {
      rule = ctx.object_(r, rpath, `an ${direction} rule with ${peersKey} and ports`);
    }
    if (!rule) return;
    ctx.unknownFields(rule, rpath, [peersKey, 'ports']);
    const peersRaw = ctx.list(rule[peersKey], [...rpath, peersKey], 'peers');
    const portsRaw = ctx.list(rule['ports'], [...rpath, 'ports'], 'ports');
    const peers: PolicyPeer[] = [];
    peersRaw?.forEach((p, j) => {
      const peer = readPeer(ctx, p, [...rpath, peersKey, j]);
      if (peer) peers.push(peer);
    });
    const ports: PolicyPort[] = [];
    portsRaw?.forEach((p, j) => {
      const port = readPolicyPort(ctx, p, [...rpath, 'ports', j]);
      if (port) ports.push(port);
    });
    rules.push({
      peers: peersRaw && peersRaw.length > 0 ? peers : 'any',
      ports: portsRaw && portsRaw.length > 0 ? ports : 'any',
    });
  });
  return rules;
}

function readPolicy(out: Collector, ctx: ObjectContext, obj: RawObject): void {
  const start = ctx.issues.length;
  const namespace = objectNamespace(ctx, obj);
  const what = `NetworkPolicy ${namespace}/${obj.name}`;
  ctx.object = what;
  checkName(ctx, obj, 'subdomain');
  if (ctx.strictFields) checkUnknownFields(ctx, obj.value, obj.apiVersion, obj.kind);
  const labels = readLabels(ctx, obj.metadata['labels'], ['metadata', 'labels'], 'labels', true);
  const annotations = readAnnotations(ctx, obj.metadata['annotations'], ['metadata', 'annotations']);
  const specRaw = obj.value['spec'];
  let spec: JsonObject = {};
  if (specRaw === undefined || specRaw === null) {
    ctx.warn(
      ['spec'],
      'spec is missing: this policy selects every pod of its namespace and denies all their ingress',
    );
  } else {
    spec = ctx.object_(specRaw, ['spec'], 'the policy spec') ?? {};
  }
  ctx.unknownFields(spec, ['spec'], ['podSelector', 'policyTypes', 'ingress', 'egress']);
  let podSelector: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  if (spec['podSelector'] === undefined || spec['podSelector'] === null) {
    if (specRaw !== undefined && specRaw !== null && isObject(specRaw)) {
      ctx.warn(
        ['spec'],
        'spec.podSelector is missing: it is read as {}, which selects every pod of the namespace',
      );
    }
  } else {
    podSelector = readSelector(ctx, spec['podSelector'], ['spec', 'podSelector']) ?? podSelector;
  }
  const ingress = readRules(ctx, spec['ingress'], ['spec', 'ingress'], 'ingress');
  const egress = readRules(ctx, spec['egress'], ['spec', 'egress'], 'egress');
  const typesRaw = ctx.list(
    spec['policyTypes'],
    ['spec', 'policyTypes'],
    'policy types: Ingress and/or Egress',
  );
  let policyTypes: PolicyType[] = [];
  let policyTypesDeclared = false;
  if (typesRaw && typesRaw.length > 0) {
    policyTypesDeclared = true;
    if (typesRaw.length > 2) ctx.error(['spec', 'policyTypes'], 'may not specify more than two policyTypes');
    typesRaw.forEach((t, i) => {
      if (typeof t === 'string' && (POLICY_TYPES as readonly string[]).includes(t)) {
        if (!policyTypes.includes(t as PolicyType)) policyTypes.push(t as PolicyType);
        return;
      }
      const hint = typeof t === 'string' ? closest(t, POLICY_TYPES) : undefined;
      ctx.error(
        ['spec', 'policyTypes', i],
        `${typeof t === 'string' ? JSON.stringify(t) : describe(t)} is not a policy type${hint ? ` (did you mean ${hint}?)` : ''}; expected Ingress or Egress`,
      );
    });
    policyTypes = POLICY_TYPES.filter((t) => policyTypes.includes(t));
  } else {
    policyTypes = egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  if (policyTypesDeclared && !ctx.failed) {
    if (!policyTypes.includes('Ingress') && ingress.length > 0) {
      ctx.info(
        ['spec', 'ingress'],
        'policyTypes does not include Ingress, so these ingress rules have no effect',
      );
    }
    if (!policyTypes.includes('Egress') && egress.length > 0) {
      ctx.info(
        ['spec', 'egress'],
        'policyTypes does not include Egress, so these egress rules have no effect',
      );
    }
  }
  if (ctx.failed) {
    markNotLoaded(ctx, start, what);
    return;
  }
  out.policies.push({
    namespace,
    name: obj.name,
    podSelector,
    policyTypes,
    policyTypesDeclared,
    ingress,
    egress,
    labels,
    annotations,
    location: ctx.location([]),
  });
}
