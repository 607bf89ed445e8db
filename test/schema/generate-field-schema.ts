/**
 * Writes shared/manifest/field-schema.data.ts: the field names the API server knows for the kinds
 * netglass reads, so the manifest reader refuses unknown fields as kubectl's strict field validation
 * does (`--validate=strict`, the server's `fieldValidation=Strict`). Run it after changing the pinned
 * versions: `node test/schema/generate-field-schema.ts` (`--check`: only say whether the table is current).
 *
 * Sources, from the Go module cache (`go mod download` in test/cluster/gomod/* fetches the pinned ones;
 * `go mod download sigs.k8s.io/network-policy-api@v0.1.7` the other):
 * - Kubernetes' published OpenAPI v3 (k8s.io/kubernetes, the version test/cluster/gomod/kube pins):
 *   Namespace and NetworkPolicy whole, ObjectMeta whole, and of a Pod only the objects on the paths
 *   netglass reads (Pod, PodSpec, Container, ContainerPort, PodStatus, PodIP): deeper parts of a Pod
 *   (volumes, probes, env...) are left to the server, since a check there would only refuse pods of
 *   newer clusters for fields netglass never reads.
 * - The network-policy-api CRDs: ClusterNetworkPolicy from the version test/cluster/gomod pins (both
 *   channels), AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1 from v0.1.1 (pinned) and
 *   v0.1.7 (the two released shapes): fields of both are known.
 *
 * The table: type name → field name → type reference, where a reference is '' (a scalar or a part
 * nothing checks), a type name, `[]ref` (a list of ref) or `{}ref` (a map of string to ref).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'shared', 'manifest', 'field-schema.data.ts');

interface Schema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly allOf?: readonly Schema[];
  readonly $ref?: string;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
}

type FieldMap = Record<string, string>;

function pinned(gomod: string, module: string): string {
  const text = readFileSync(join(ROOT, 'test', 'cluster', 'gomod', gomod, 'go.mod'), 'utf8');
  const m = new RegExp(`^require ${module.replaceAll('.', '\\.')} (v\\S+)`, 'm').exec(text);
  if (!m?.[1]) throw new Error(`no pinned ${module} in test/cluster/gomod/${gomod}/go.mod`);
  return m[1];
}

const MODCACHE =
  process.env.GOMODCACHE ??
  execFileSync(process.env.GO ?? 'go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
const KUBE = pinned('kube', 'k8s.io/kubernetes');
const CNP_RELEASE = pinned('network-policy-api', 'sigs.k8s.io/network-policy-api');
const LEGACY_RELEASES = [pinned('network-policy-api-v0.1', 'sigs.k8s.io/network-policy-api'), 'v0.1.7'];

function readModuleFile(module: string, version: string, path: string): string {
  const file = join(MODCACHE, `${module}@${version}`, path);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: run \`go mod download ${module}@${version}\` first`);
  }
}

const types: Record<string, FieldMap> = {};
/** Field map (as JSON) → the type that has it: identical objects (every label selector) share one. */
const byContent = new Map<string, string>();

function put(name: string, fields: FieldMap): string {
  const key = JSON.stringify(
    Object.keys(fields)
      .sort()
      .map((k) => [k, fields[k]]),
  );
  const same = byContent.get(key);
  if (same !== undefined) return same;
  if (types[name] !== undefined) throw new Error(`two different types named ${name}`);
  types[name] = fields;
  byContent.set(key, name);
  return name;
}

// ---------------------------------------------------------------- Kubernetes OpenAPI

const openapi: Record<string, Schema> = {};
for (const file of ['api__v1_openapi.json', 'apis__networking.k8s.io__v1_openapi.json']) {
  const doc = JSON.parse(readModuleFile('k8s.io/kubernetes', KUBE, `api/openapi-spec/v3/${file}`)) as {
    components: { schemas: Record<string, Schema> };
  };
  Object.assign(openapi, doc.components.schemas);
}

/** Types listed field by field; a reference to any other type is left unchecked. */
const POD_PATH = ['Pod', 'PodSpec', 'Container', 'ContainerPort', 'PodStatus', 'PodIP'];
const WHOLE = ['Namespace', 'NetworkPolicy', 'ObjectMeta'];

const shortName = (ref: string): string => ref.slice(ref.lastIndexOf('.') + 1);

function refOf(s: Schema | undefined, listed: (name: string) => boolean): string {
  if (s === undefined) return '';
  const ref = s.$ref ?? s.allOf?.find((x) => x.$ref !== undefined)?.$ref;
  if (ref !== undefined) {
    const full = ref.replace('#/components/schemas/', '');
    const target = openapi[full];
    if (!target?.properties) return ''; // Time, Quantity, IntOrString, FieldsV1...: scalars to JSON
    const name = shortName(full);
    if (!listed(name)) return '';
    openapiType(full, listed);
    return name;
  }
  if (s.type === 'array') return `[]${refOf(s.items, listed)}`;
  if (s.type === 'object' && typeof s.additionalProperties === 'object')
    return `{}${refOf(s.additionalProperties, listed)}`;
  return '';
}

/** Short name → OpenAPI name: two types of one short name would share an entry. */
const origin = new Map<string, string>();

function openapiType(full: string, listed: (name: string) => boolean): void {
  const name = shortName(full);
  const seen = origin.get(name);
  if (seen !== undefined && seen !== full) throw new Error(`${seen} and ${full} share the name ${name}`);
  origin.set(name, full);
  if (types[name] !== undefined) return;
  const s = openapi[full];
  if (!s?.properties) throw new Error(`no properties for ${full}`);
  const fields: FieldMap = {};
  types[name] = fields; // before recursing, in case a type refers to itself
  for (const [k, v] of Object.entries(s.properties)) fields[k] = refOf(v, listed);
  byContent.set(
    JSON.stringify(
      Object.keys(fields)
        .sort()
        .map((k) => [k, fields[k]]),
    ),
    name,
  );
}

const fullName = (name: string): string => {
  const hits = Object.keys(openapi).filter((k) => shortName(k) === name && k.startsWith('io.k8s.'));
  if (hits.length !== 1) throw new Error(`${name}: ${hits.length} OpenAPI types (${hits.join(', ')})`);
  return hits[0] ?? '';
};

// ObjectMeta and everything below it, then the whole Namespace and NetworkPolicy, then the Pod path.
openapiType(fullName('ObjectMeta'), () => true);
for (const name of WHOLE) openapiType(fullName(name), () => true);
openapiType(fullName('Pod'), (name) => POD_PATH.includes(name) || types[name] !== undefined);

// ---------------------------------------------------------------- CRDs

interface Crd {
  spec: {
    names: { kind: string };
    group: string;
    versions: { name: string; schema: { openAPIV3Schema: Schema } }[];
  };
}

/** A CRD's inline object schema as a named type (`Kind.version.path`), or the identical one known. */
function crdType(kind: string, path: string, s: Schema): string {
  if (path === 'metadata') return 'ObjectMeta'; // the API server checks a custom resource's metadata as ObjectMeta
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return '';
  if (s.type === 'array') return `[]${s.items ? crdType(kind, `${path}[]`, s.items) : ''}`;
  if (s.type === 'object' && s.properties === undefined) {
    return typeof s.additionalProperties === 'object'
      ? `{}${crdType(kind, `${path}{}`, s.additionalProperties)}`
      : '';
  }
  if (s.properties === undefined) return '';
  const fields: FieldMap = {};
  for (const [k, v] of Object.entries(s.properties))
    fields[k] = crdType(kind, path === '' ? k : `${path}.${k}`, v);
  return put(path === '' ? kind : `${kind}.${path}`, fields);
}

/**
 * One schema with the fields of both (two releases, two channels of one kind and version); a part
 * whose shape differs between them is left unchecked.
 */
function mergeSchemas(a: Schema, b: Schema): Schema {
  if (a.type !== b.type) return { 'x-kubernetes-preserve-unknown-fields': true };
  const out: { -readonly [K in keyof Schema]: Schema[K] } = { ...a };
  if (a.properties !== undefined || b.properties !== undefined) {
    const props: Record<string, Schema> = { ...(a.properties ?? {}) };
    for (const [k, v] of Object.entries(b.properties ?? {})) {
      const mine = props[k];
      props[k] = mine === undefined ? v : mergeSchemas(mine, v);
    }
    out.properties = props;
  }
  if (a.items !== undefined && b.items !== undefined) out.items = mergeSchemas(a.items, b.items);
  if (
    a['x-kubernetes-preserve-unknown-fields'] === true ||
    b['x-kubernetes-preserve-unknown-fields'] === true
  )
    out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

const roots: Record<string, string> = {
  'v1 Namespace': 'Namespace',
  'v1 Pod': 'Pod',
  'networking.k8s.io/v1 NetworkPolicy': 'NetworkPolicy',
};

/** `group/version kind` → its schema, merged over every CRD file that serves it. */
const crdSchemas = new Map<string, { kind: string; version: string; schema: Schema }>();

function addCrd(text: string): void {
  const crd = parse(text) as Crd;
  for (const v of crd.spec.versions) {
    const key = `${crd.spec.group}/${v.name} ${crd.spec.names.kind}`;
    const prior = crdSchemas.get(key);
    const schema = v.schema.openAPIV3Schema;
    crdSchemas.set(key, {
      kind: crd.spec.names.kind,
      version: v.name,
      schema: prior ? mergeSchemas(prior.schema, schema) : schema,
    });
  }
}

for (const channel of ['standard', 'experimental'])
  addCrd(
    readModuleFile(
      'sigs.k8s.io/network-policy-api',
      CNP_RELEASE,
      `config/crd/${channel}/policy.networking.k8s.io_clusternetworkpolicies.yaml`,
    ),
  );
for (const release of LEGACY_RELEASES) {
  for (const plural of ['adminnetworkpolicies', 'baselineadminnetworkpolicies']) {
    const file = `policy.networking.k8s.io_${plural}.yaml`;
    let text: string;
    try {
      text = readModuleFile('sigs.k8s.io/network-policy-api', release, `config/crd/experimental/${file}`);
    } catch {
      text = readModuleFile('sigs.k8s.io/network-policy-api', release, `config/crd/${file}`);
    }
    addCrd(text);
  }
}

for (const [key, { kind, version, schema }] of crdSchemas)
  roots[key] = crdType(`${kind}.${version}`, '', schema);

// ---------------------------------------------------------------- output

const sorted = Object.fromEntries(
  Object.keys(types)
    .sort()
    .map((k) => [
      k,
      Object.fromEntries(
        Object.keys(types[k] ?? {})
          .sort()
          .map((f) => [f, types[k]?.[f] ?? '']),
      ),
    ]),
);
const source = `Kubernetes ${KUBE} OpenAPI v3; network-policy-api ${CNP_RELEASE} (ClusterNetworkPolicy), ${LEGACY_RELEASES.join(' and ')} (AdminNetworkPolicy, BaselineAdminNetworkPolicy) CRDs`;
const text = `/**
 * Generated by test/schema/generate-field-schema.ts; do not edit. The field names the API server knows
 * for the kinds netglass reads (${source}). See field-schema.ts for how they are used.
 */
export const FIELD_SCHEMA_SOURCE = ${JSON.stringify(source)};

/** Kubernetes minor version of the built-in types' schema. */
export const FIELD_SCHEMA_KUBERNETES = ${JSON.stringify(KUBE.replace(/^v(\d+\.\d+).*$/, '$1'))};

/** \`apiVersion kind\` → root type. */
export const FIELD_SCHEMA_ROOTS: Readonly<Record<string, string>> = ${JSON.stringify(roots, null, 2)};

/** Type → field → '' (unchecked), a type, \`[]ref\` (list) or \`{}ref\` (map). */
export const FIELD_SCHEMA_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = ${JSON.stringify(sorted, null, 2)};
`;
const formatted = await format(text, { ...(await resolveConfig(OUT)), filepath: OUT });
if (process.argv.includes('--check')) {
  // For the unit test: the checked-in table is what the pinned sources give.
  const current = readFileSync(OUT, 'utf8');
  if (current !== formatted) {
    console.error(`${OUT} is out of date: run node test/schema/generate-field-schema.ts`);
    process.exit(1);
  }
  console.log(`${OUT} is up to date (${source})`);
  process.exit(0);
}
writeFileSync(OUT, formatted);
console.log(
  `wrote ${OUT}: ${Object.keys(sorted).length} types, ${Object.keys(roots).length} kinds (${source})`,
);
