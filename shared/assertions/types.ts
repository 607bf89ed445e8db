/**
 * Connectivity assertions (`netglass test`): "these pods can (or cannot) reach those on this port",
 * checked against a snapshot with the evaluator. Plain data, JSON-safe.
 */
import type { ConnectionVerdict } from '../eval/index.ts';
import type { Labels, Protocol, SourceLocation } from '../model/snapshot.ts';

/**
 * One end of an assertion:
 * - `all`: every pod (`*`); `namespace`: every pod of a namespace (`shop/*`); `pod`: one pod (`shop/web-0`);
 * - `selector`: pods whose labels include `labels`, in `namespace` or in any namespace
 *   (`{namespace: shop, labels: {app: web}}`);
 * - `address`: an IP address outside the cluster (`203.0.113.7`).
 */
export type EndpointSpec =
  | { readonly kind: 'all' }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'selector'; readonly namespace?: string; readonly labels: Labels }
  | { readonly kind: 'address'; readonly ip: string };

/** `5432/TCP`, `8000-8080` (inclusive, TCP), or a container port name of each destination pod (`http`). */
export type AssertionPort =
  | { readonly kind: 'number'; readonly port: number; readonly protocol: Protocol }
  | { readonly kind: 'range'; readonly from: number; readonly to: number; readonly protocol: Protocol }
  | { readonly kind: 'named'; readonly name: string; readonly protocol?: Protocol };

export type Expectation = 'allowed' | 'denied';

export interface Assertion {
  /** 0-based position in the file. */
  readonly index: number;
  /** `name:` as written, else a description built from the fields. */
  readonly name: string;
  readonly from: EndpointSpec;
  readonly to: EndpointSpec;
  readonly port: AssertionPort;
  readonly expect: Expectation;
  /** The list entry's position. */
  readonly location: SourceLocation;
}

export interface AssertionFileError {
  readonly location: SourceLocation;
  /** The field at fault, as a path (`assertions[2].port`), when there is one. */
  readonly field?: string;
  readonly message: string;
}

export type AssertionParse =
  | { readonly ok: true; readonly assertions: readonly Assertion[] }
  | { readonly ok: false; readonly errors: readonly AssertionFileError[] };

/** A connection that went against the expectation, explained as `check` explains one. */
export interface AssertionFailure {
  readonly verdict: ConnectionVerdict;
  /** The name the assertion gave the port, when it was one (`verdict.query` has the number). */
  readonly portName?: string;
}

/**
 * - `passed`: every connection checked had the expected verdict;
 * - `failed`: `failing` of `checked` did not (`examples` explains the first few);
 * - `no-match`: nothing to check (an end selects no pod, or no destination declares the named port):
 *   an assertion about nothing proves nothing, so it fails too.
 */
export type AssertionResult =
  | { readonly kind: 'passed'; readonly assertion: Assertion; readonly checked: number }
  | {
      readonly kind: 'failed';
      readonly assertion: Assertion;
      readonly checked: number;
      readonly failing: number;
      /** Failing connections whose verdict is `unknown` (live sources with partial read access). */
      readonly unknown: number;
      readonly examples: readonly AssertionFailure[];
    }
  | { readonly kind: 'no-match'; readonly assertion: Assertion; readonly reason: string };
