/**
 * Reads an assertions file (YAML or JSON, which YAML includes):
 *
 * ```yaml
 * assertions:
 *   - name: checkout reaches its database     # optional
 *     from: shop/*                             # *, <ns>/*, <ns>/<pod>, an IP address,
 *     to: db/postgres-0                        #   or {namespace: <ns>, labels: {<key>: <value>}}
 *     port: 5432/TCP                           # 5432, 53/UDP, 8000-8080/TCP, http, http/TCP
 *     expect: allowed                          # allowed | denied
 * ```
 *
 * Every error names the line and column and the field; all of them are reported, not just the first.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { parsePortField } from '../eval/port-field.ts';
import type { Labels, Protocol, SourceLocation } from '../model/snapshot.ts';
import { PROTOCOLS } from '../model/snapshot.ts';
import { parseIP } from '../net/address.ts';
import type {
  Assertion,
  AssertionFileError,
  AssertionParse,
  AssertionPort,
  EndpointSpec,
  Expectation,
} from './types.ts';

const ASSERTION_KEYS = ['name', 'from', 'to', 'port', 'expect'] as const;
const SELECTOR_KEYS = ['namespace', 'labels'] as const;
/** DNS-1123 label (namespace names) and subdomain (pod names), as the API server checks them. */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const POD_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export const ENDPOINT_SYNTAX =
  'expected *, <namespace>/*, <namespace>/<pod>, an IP address, or {namespace: <name>, labels: {<key>: <value>}}';
export const PORT_SYNTAX =
  'expected a port number (5432), a range (8000-8080), or a container port name (http), each with an optional /TCP, /UDP or /SCTP';

class Reader {
  readonly errors: AssertionFileError[] = [];
  readonly #file: string;
  readonly #lines: LineCounter;

  constructor(file: string, lines: LineCounter) {
    this.#file = file;
    this.#lines = lines;
  }

  at(offset: number): SourceLocation {
    const p = this.#lines.linePos(offset);
    return { file: this.#file, line: p.line, column: p.col };
  }

  where(node: YamlNode | null | undefined, fallback: number): SourceLocation {
    return this.at(node?.range?.[0] ?? fallback);
  }

  fail(
    node: YamlNode | null | undefined,
    fallback: number,
    field: string | undefined,
    message: string,
  ): undefined {
    this.errors.push({
      location: this.where(node, fallback),
      ...(field !== undefined ? { field } : {}),
      message,
    });
    return undefined;
  }
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined;
}

/** The map's values by key, reporting keys that are not in `allowed` (with the closest one). */
function fields(
  r: Reader,
  map: YAMLMap,
  allowed: readonly string[],
  path: string,
): Map<string, YamlNode | null> {
  const out = new Map<string, YamlNode | null>();
  for (const pair of map.items) {
    const key = keyOf(pair);
    const keyNode = isScalar(pair.key) ? pair.key : null;
    if (key === undefined || !allowed.includes(key)) {
      r.fail(
        keyNode,
        map.range?.[0] ?? 0,
        path,
        `unknown field ${JSON.stringify(key ?? String(pair.key))} (expected ${allowed.join(', ')})`,
      );
      continue;
    }
    out.set(key, (pair.value as YamlNode | null) ?? null);
  }
  return out;
}

function scalarText(node: YamlNode | null | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isInteger(v) ? String(v) : undefined;
}

function readLabels(r: Reader, node: YamlNode | null, at: number, path: string): Labels | undefined {
  if (!isMap(node)) return r.fail(node, at, path, 'labels must be a map of label keys to values');
  const labels: Record<string, string> = {};
  for (const pair of node.items) {
    const key = keyOf(pair);
    const value = scalarText(pair.value as YamlNode | null);
    if (key === undefined || value === undefined)
      return r.fail(
        isScalar(pair.key) ? pair.key : node,
        at,
        path,
        'labels must map label keys to string values',
      );
    labels[key] = value;
  }
  return labels;
}

function readEndpoint(
  r: Reader,
  node: YamlNode | null | undefined,
  at: number,
  path: string,
): EndpointSpec | undefined {
  if (node === undefined || node === null) return r.fail(node, at, path, `missing: ${ENDPOINT_SYNTAX}`);
  if (isMap(node)) {
    const f = fields(r, node, SELECTOR_KEYS, path);
    const nsNode = f.get('namespace');
    const namespace = nsNode === undefined ? undefined : scalarText(nsNode);
    if (
      nsNode !== undefined &&
      (namespace === undefined || (namespace !== '*' && !NAMESPACE_NAME.test(namespace)))
    )
      return r.fail(nsNode, at, `${path}.namespace`, 'namespace must be a namespace name, or * for any');
    const labelsNode = f.get('labels');
    if (labelsNode === undefined)
      return r.fail(
        node,
        at,
        path,
        'a selector needs labels: (for every pod of a namespace write <namespace>/*)',
      );
    const labels = readLabels(r, labelsNode, at, `${path}.labels`);
    if (labels === undefined) return undefined;
    return {
      kind: 'selector',
      labels,
      ...(namespace !== undefined && namespace !== '*' ? { namespace } : {}),
    };
  }
  const text = scalarText(node)?.trim();
  if (text === undefined) return r.fail(node, at, path, ENDPOINT_SYNTAX);
  if (text === '*') return { kind: 'all' };
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (typeof parseIP(text) !== 'string') return { kind: 'address', ip: text };
    return r.fail(node, at, path, `${JSON.stringify(text)}: ${ENDPOINT_SYNTAX}`);
  }
  const namespace = text.slice(0, slash);
  const name = text.slice(slash + 1);
  if (!NAMESPACE_NAME.test(namespace))
    return r.fail(node, at, path, `${JSON.stringify(namespace)} is not a namespace name: ${ENDPOINT_SYNTAX}`);
  if (name === '*') return { kind: 'namespace', namespace };
  if (!POD_NAME.test(name))
    return r.fail(node, at, path, `${JSON.stringify(name)} is not a pod name: ${ENDPOINT_SYNTAX}`);
  return { kind: 'pod', namespace, name };
}

function readProtocol(written: string | undefined): Protocol | undefined | false {
  if (written === undefined) return undefined;
  const p = written.toUpperCase();
  return (PROTOCOLS as readonly string[]).includes(p) ? (p as Protocol) : false;
}

function readPort(
  r: Reader,
  node: YamlNode | null | undefined,
  at: number,
  path: string,
): AssertionPort | undefined {
  const text = scalarText(node)?.trim();
  if (text === undefined)
    return r.fail(node, at, path, `${node ? 'invalid' : 'missing'} port: ${PORT_SYNTAX}`);
  const range = /^(\d+)-(\d+)(?:\/([A-Za-z]+))?$/.exec(text);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    const protocol = readProtocol(range[3]);
    if (protocol === false)
      return r.fail(node, at, path, `unknown protocol ${range[3] ?? ''} (expected TCP, UDP or SCTP)`);
    if (from < 1 || to > 65535 || from > to)
      return r.fail(
        node,
        at,
        path,
        `port range ${text}: expected <first>-<last> with 1 <= first <= last <= 65535`,
      );
    return from === to
      ? { kind: 'number', port: from, protocol: protocol ?? 'TCP' }
      : { kind: 'range', from, to, protocol: protocol ?? 'TCP' };
  }
  const field = parsePortField(text);
  switch (field.kind) {
    case 'number':
      return { kind: 'number', port: field.port, protocol: field.protocol ?? 'TCP' };
    case 'named':
      return {
        kind: 'named',
        name: field.name,
        ...(field.protocol !== undefined ? { protocol: field.protocol } : {}),
      };
    case 'invalid':
      return r.fail(
        node,
        at,
        path,
        `port ${JSON.stringify(text)}: ${
          field.problem === 'protocol'
            ? `unknown protocol ${field.written ?? ''} (expected TCP, UDP or SCTP)`
            : field.problem === 'range'
              ? 'a port number is from 1 to 65535'
              : PORT_SYNTAX
        }`,
      );
  }
}

function readExpect(
  r: Reader,
  node: YamlNode | null | undefined,
  at: number,
  path: string,
): Expectation | undefined {
  const text = scalarText(node);
  if (text === 'allowed' || text === 'denied') return text;
  return r.fail(
    node,
    at,
    path,
    `${node ? `expect ${JSON.stringify(text ?? '')}` : 'missing expect'}: expected allowed or denied`,
  );
}

export function endpointText(e: EndpointSpec): string {
  switch (e.kind) {
    case 'all':
      return '*';
    case 'namespace':
      return `${e.namespace}/*`;
    case 'pod':
      return `${e.namespace}/${e.name}`;
    case 'selector': {
      const labels = Object.entries(e.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return `${e.namespace ?? '*'}/{${labels}}`;
    }
    case 'address':
      return e.ip;
  }
}

export function portText(p: AssertionPort): string {
  switch (p.kind) {
    case 'number':
      return `${p.port}/${p.protocol}`;
    case 'range':
      return `${p.from}-${p.to}/${p.protocol}`;
    case 'named':
      return p.protocol !== undefined ? `${p.name}/${p.protocol}` : p.name;
  }
}

function readAssertion(r: Reader, node: YamlNode | null, index: number, at: number): Assertion | undefined {
  const path = `assertions[${index}]`;
  if (!isMap(node)) return r.fail(node, at, path, 'each assertion is a map with from, to, port and expect');
  const start = node.range?.[0] ?? at;
  const before = r.errors.length;
  const f = fields(r, node, ASSERTION_KEYS, path);
  const nameNode = f.get('name');
  const name = nameNode === undefined ? undefined : scalarText(nameNode);
  if (nameNode !== undefined && name === undefined)
    r.fail(nameNode, start, `${path}.name`, 'name must be a string');
  const from = readEndpoint(r, f.get('from'), start, `${path}.from`);
  const to = readEndpoint(r, f.get('to'), start, `${path}.to`);
  const port = readPort(r, f.get('port'), start, `${path}.port`);
  const expect = readExpect(r, f.get('expect'), start, `${path}.expect`);
  if (from?.kind === 'address' && to?.kind === 'address')
    r.fail(node, start, path, 'from and to are both addresses: at least one end must be pods');
  if (port?.kind === 'named' && to?.kind === 'address')
    r.fail(
      f.get('port'),
      start,
      `${path}.port`,
      `port ${port.name} is a name, which only a destination pod can resolve; to is an address`,
    );
  if (r.errors.length > before || !from || !to || !port || !expect) return undefined;
  return {
    index,
    name: name ?? `${endpointText(from)} -> ${endpointText(to)} on ${portText(port)}: ${expect}`,
    from,
    to,
    port,
    expect,
    location: r.at(start),
  };
}

/** Parses the text of an assertions file; `file` is the name errors and results cite. */
export function parseAssertions(text: string, file: string): AssertionParse {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const r = new Reader(file, lines);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        location: r.at(e.pos[0]),
        message:
          e.code === 'MULTIPLE_DOCS'
            ? 'a second YAML document (after ---): an assertions file is one document with one assertions: list; move these assertions into that list, or into a file of their own'
            : (e.message.split('\n')[0] ?? e.message),
      })),
    };
  }
  const root = doc.contents;
  if (!isMap(root))
    return {
      ok: false,
      errors: [{ location: r.where(root, 0), message: 'expected a map with an assertions: list' }],
    };
  const top = fields(r, root, ['assertions'], '');
  const list = top.get('assertions');
  if (!isSeq(list)) {
    r.fail(
      list ?? root,
      0,
      'assertions',
      list === undefined ? 'missing assertions: list' : 'assertions must be a list',
    );
    return { ok: false, errors: r.errors };
  }
  const assertions: Assertion[] = [];
  list.items.forEach((item, i) => {
    const a = readAssertion(r, item as YamlNode | null, i, list.range?.[0] ?? 0);
    if (a) assertions.push(a);
  });
  if (assertions.length === 0 && r.errors.length === 0)
    r.fail(list, 0, 'assertions', 'the list is empty: nothing to test');
  if (r.errors.length === 0) return { ok: true, assertions };
  // In file order, as a reader fixes them.
  const errors = [...r.errors].sort(
    (a, b) => a.location.line - b.location.line || a.location.column - b.location.column,
  );
  return { ok: false, errors };
}
