/**
 * The API server's refusals of a policy write (dry-run or apply), as `ApplyFailure`s a person can act
 * on: who may not do what (RBAC), which fields are invalid, which fields other field managers own
 * (server-side apply conflicts), or that the object changed since the dry-run.
 */
import type { ApplyFailure, FieldCause, FieldConflict } from '../../shared/api/api.ts';
import type { PolicyManifest } from '../../shared/editor/draft.ts';
import { describeRequestError } from './reflector.ts';

/** An HTTP answer: its status and its body (parsed JSON, or the text when it is not JSON). */
export interface Response {
  readonly status: number;
  readonly body: unknown;
}

/** Who is refused: a policy of a kind (NetworkPolicy when not said), namespaced or not (`namespace` ''). */
export interface FailureSubject {
  readonly kind?: PolicyManifest['kind'];
  readonly namespace: string;
  readonly name: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Status {
  readonly message: string;
  readonly reason?: string;
  readonly causes: readonly FieldCause[];
}

/** The parts of a `Status` body that matter here; a non-JSON body becomes its first line. */
export function readStatus(body: unknown, status: number): Status {
  if (!isRecord(body)) {
    const text = typeof body === 'string' ? body.trim().split('\n')[0] : '';
    return { message: text !== undefined && text !== '' ? text : `HTTP ${status}`, causes: [] };
  }
  const details = isRecord(body['details']) ? body['details'] : {};
  const causes = Array.isArray(details['causes'])
    ? (details['causes'] as unknown[]).filter(isRecord).map((c): FieldCause => ({
        ...(typeof c['field'] === 'string' && c['field'] !== '' ? { field: c['field'] } : {}),
        message:
          typeof c['message'] === 'string'
            ? c['message']
            : typeof c['reason'] === 'string'
              ? c['reason']
              : 'invalid',
        ...(typeof c['reason'] === 'string' ? { reason: c['reason'] } : {}),
      }))
    : [];
  return {
    message: typeof body['message'] === 'string' ? body['message'] : `HTTP ${status}`,
    ...(typeof body['reason'] === 'string' ? { reason: body['reason'] } : {}),
    causes,
  };
}

const FORBIDDEN =
  /User "([^"]*)" cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/;

/**
 * Server-side apply reports a value it cannot fit to the schema (an unknown field under strict
 * validation, a list where a string goes) as a 500 naming the field with a leading dot.
 */
const TYPED_PATCH = /failed to create typed patch object \([^)]*\): \.(\S+): (.+)$/;

/** The manager in `conflict with "kubectl-label" using networking.k8s.io/v1`. */
const CONFLICT_MANAGER = /conflict with "([^"]*)"/;

export function subjectLabel(what: FailureSubject): string {
  const kind = what.kind ?? 'NetworkPolicy';
  return what.namespace === '' ? `${kind} ${what.name}` : `${kind} ${what.namespace}/${what.name}`;
}

/** The fields of a server-side apply conflict, with their owners; empty for any other 409. */
function fieldConflicts(status: Status): FieldConflict[] {
  return status.causes
    .filter((c) => c.reason === 'FieldManagerConflict')
    .map((c) => ({
      field: (c.field ?? '').replace(/^\./, ''),
      manager: CONFLICT_MANAGER.exec(c.message)?.[1] ?? 'another field manager',
      message: c.message,
    }));
}

function conflictMessage(object: string, conflicts: readonly FieldConflict[]): string {
  const listed = conflicts.map((c) => `${c.field} (owned by "${c.manager}")`).join(', ');
  const one = conflicts.length === 1;
  return `${object}: ${conflicts.length} ${one ? 'field belongs' : 'fields belong'} to other field managers and the draft sets ${one ? 'it' : 'them'} to other values: ${listed}. Nothing was written. Set ${one ? 'it' : 'them'} in the draft as the cluster has ${one ? 'it' : 'them'}, remove ${one ? 'it' : 'them'} from the draft, or force to take ${one ? 'it' : 'them'} over.`;
}

/** The API server's refusal as an ApplyFailure a person can act on. */
export function failureFromResponse(response: Response, what: FailureSubject): ApplyFailure {
  const status = readStatus(response.body, response.status);
  const object = subjectLabel(what);
  switch (response.status) {
    case 401:
      return {
        reason: 'unauthorized',
        message: `The cluster did not accept the credentials of this context (401): ${status.message}`,
        serverMessage: status.message,
      };
    case 403: {
      const m = FORBIDDEN.exec(status.message);
      if (!m) {
        return {
          reason: 'forbidden',
          message: `Forbidden by the cluster: ${status.message}`,
          serverMessage: status.message,
        };
      }
      const [, user, verb, resource, , namespace] = m;
      const where = namespace !== undefined ? ` in namespace "${namespace}"` : ' cluster-wide';
      // A namespaced grant is a Role; a cluster-scoped resource needs a ClusterRole.
      const role = namespace !== undefined ? 'a Role' : 'a ClusterRole';
      return {
        reason: 'forbidden',
        message: `RBAC: user "${user ?? '?'}" may not ${verb ?? '?'} ${resource ?? '?'}${where}, so ${object} cannot be written with this context. A cluster administrator can grant it with ${role} that allows "${verb ?? '?'}" on ${resource ?? '?'}.`,
        ...(verb !== undefined ? { verb } : {}),
        ...(resource !== undefined ? { resource } : {}),
        ...(namespace !== undefined ? { namespace } : {}),
        ...(user !== undefined ? { user } : {}),
        serverMessage: status.message,
      };
    }
    case 404:
      return {
        reason: 'not-found',
        message:
          what.namespace !== '' && /namespaces? "[^"]+" not found/.test(status.message)
            ? `Namespace "${what.namespace}" does not exist in this cluster.`
            : `Not found: ${status.message}`,
        serverMessage: status.message,
      };
    case 409: {
      const conflicts = fieldConflicts(status);
      if (conflicts.length > 0) {
        return {
          reason: 'field-conflict',
          message: conflictMessage(object, conflicts),
          conflicts,
          serverMessage: status.message,
        };
      }
      return {
        reason: 'conflict',
        message:
          status.reason === 'AlreadyExists'
            ? `${object} was created by someone else since the dry-run; run the dry-run again to see what it would change.`
            : `${object} was changed in the cluster since the dry-run; run the dry-run again to see the current differences.`,
        serverMessage: status.message,
      };
    }
    case 400:
    case 422: {
      const causes =
        status.causes.length > 0
          ? status.causes
          : [...status.message.matchAll(/unknown field "([^"]+)"/g)].map((u): FieldCause => ({
              field: u[1] ?? '',
              message: `unknown field "${u[1] ?? ''}"`,
              reason: 'FieldValueInvalid',
            }));
      return {
        reason: 'invalid',
        message: `The API server rejected ${object}: ${status.message}`,
        causes: causes.length > 0 ? causes : [{ message: status.message }],
      };
    }
    default: {
      const typed = response.status === 500 ? TYPED_PATCH.exec(status.message) : null;
      if (typed !== null) {
        const [, field = '', why = ''] = typed;
        return {
          reason: 'invalid',
          message: `The API server rejected ${object}: ${field}: ${why}`,
          causes: [{ field, message: why, reason: 'FieldValueInvalid' }],
        };
      }
      return {
        reason: 'rejected',
        message: `The API server refused ${object} (HTTP ${response.status}): ${status.message}`,
        status: response.status,
        serverMessage: status.message,
      };
    }
  }
}

/** No answer at all: the network, TLS or a credential plugin failed. */
export function unreachable(error: unknown): ApplyFailure {
  const detail = describeRequestError(error);
  return { reason: 'unreachable', message: `The API server could not be reached: ${detail}`, detail };
}
