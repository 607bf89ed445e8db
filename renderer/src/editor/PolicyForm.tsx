/**
 * The seed's policy form over a `PolicyDraft`: name, namespace, description; pod selector by labels and
 * expressions; policy types Default / Ingress / Egress; ingress rules (ports, sources) and egress
 * rules (ports, destinations). Every change hands a new draft up; `validateDraft`'s messages show at
 * their inputs, word for word.
 */
import type {
  DraftValidation,
  ExpressionDraft,
  PeerDraft,
  PolicyDraft,
  PortDraft,
  RuleDraft,
  SelectorDraft,
} from '../../../shared/editor/index.ts';
import {
  DENY_ALL_EGRESS_EXPLANATION,
  DISABLE_INGRESS_EXPLANATION,
  denyAllEgress,
  disableIngressRules,
  effectiveTypes,
} from '../../../shared/editor/index.ts';
import type { Protocol, SelectorOperator } from '../../../shared/model/snapshot.ts';
import {
  AddButton,
  Choice,
  FieldIssues,
  ListField,
  RemoveButton,
  SelectField,
  TextField,
} from './fields.tsx';

const OPERATORS: readonly { value: SelectorOperator; label: string }[] = [
  { value: 'In', label: 'In' },
  { value: 'NotIn', label: 'NotIn' },
  { value: 'Exists', label: 'Exists' },
  { value: 'DoesNotExist', label: 'DoesNotExist' },
];
const PROTOCOLS: readonly { value: Protocol; label: string }[] = [
  { value: 'TCP', label: 'TCP' },
  { value: 'UDP', label: 'UDP' },
  { value: 'SCTP', label: 'SCTP' },
];

function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}
function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

interface Props<T> {
  readonly value: T;
  readonly onChange: (value: T) => void;
  readonly path: string;
  readonly validation: DraftValidation;
}

export function SelectorEditor({
  value,
  onChange,
  path,
  validation,
  noun,
}: Props<SelectorDraft> & { noun: string }) {
  const setLabels = (matchLabels: SelectorDraft['matchLabels']) => onChange({ ...value, matchLabels });
  const setExprs = (matchExpressions: readonly ExpressionDraft[]) => onChange({ ...value, matchExpressions });
  return (
    <div className="ed-selector" data-selector={path}>
      {value.matchLabels.map((row, i) => {
        const p = `${path}.matchLabels[${i}]`;
        return (
          <div className="ed-row ed-label-row" key={`l${i}`} data-row={p}>
            <TextField
              path={`${p}.key`}
              label={`${noun} label key`}
              placeholder="key"
              value={row.key}
              validation={validation}
              onChange={(key) => setLabels(replaceAt(value.matchLabels, i, { ...row, key }))}
            />
            <span className="ed-eq" aria-hidden="true">
              =
            </span>
            <TextField
              path={`${p}.value`}
              label={`${noun} label value`}
              placeholder="value"
              value={row.value}
              validation={validation}
              onChange={(v) => setLabels(replaceAt(value.matchLabels, i, { ...row, value: v }))}
            />
            <RemoveButton label="Remove label" onClick={() => setLabels(removeAt(value.matchLabels, i))} />
          </div>
        );
      })}
      {value.matchExpressions.map((row, i) => {
        const p = `${path}.matchExpressions[${i}]`;
        const withValues = row.operator === 'In' || row.operator === 'NotIn';
        return (
          <div className="ed-row ed-expr-row" key={`e${i}`} data-row={p}>
            <TextField
              path={`${p}.key`}
              label={`${noun} expression key`}
              placeholder="key"
              value={row.key}
              validation={validation}
              onChange={(key) => setExprs(replaceAt(value.matchExpressions, i, { ...row, key }))}
            />
            <SelectField
              path={`${p}.operator`}
              label="Operator"
              value={row.operator}
              options={OPERATORS}
              validation={validation}
              onChange={(operator) => setExprs(replaceAt(value.matchExpressions, i, { ...row, operator }))}
            />
            {withValues ? (
              <ListField
                path={`${p}.values`}
                label={`${noun} expression values`}
                placeholder="values, comma-separated"
                values={row.values}
                validation={validation}
                onChange={(values) => setExprs(replaceAt(value.matchExpressions, i, { ...row, values }))}
              />
            ) : (
              <span className="ed-no-values muted">no values</span>
            )}
            <RemoveButton
              label="Remove expression"
              onClick={() => setExprs(removeAt(value.matchExpressions, i))}
            />
          </div>
        );
      })}
      <div className="ed-adds">
        <AddButton
          testId={`add-label:${path}`}
          onClick={() => setLabels([...value.matchLabels, { key: '', value: '' }])}
        >
          Label
        </AddButton>
        <AddButton
          testId={`add-expression:${path}`}
          onClick={() => setExprs([...value.matchExpressions, { key: '', operator: 'In', values: [] }])}
        >
          Expression
        </AddButton>
      </div>
      <FieldIssues validation={validation} path={path} />
    </div>
  );
}

type NamespaceMode = 'same' | 'all' | 'labels';
type PodMode = 'all' | 'labels';

function PeerEditor({
  value,
  onChange,
  path,
  validation,
  onRemove,
  direction,
}: Props<PeerDraft> & { onRemove: () => void; direction: 'ingress' | 'egress' }) {
  const kindLabel = direction === 'ingress' ? 'Source' : 'Destination';
  return (
    <div className="ed-peer" data-peer={path}>
      <div className="ed-peer-head">
        <Choice
          path={`${path}.kind`}
          label={`${kindLabel} kind`}
          value={value.kind}
          options={[
            { value: 'pods', label: 'Pods / namespaces' },
            { value: 'ipBlock', label: 'IP block' },
          ]}
          onChange={(kind) =>
            onChange(
              kind === 'ipBlock'
                ? { kind: 'ipBlock', cidr: '', except: [] }
                : { kind: 'pods', namespaces: 'same', pods: 'all' },
            )
          }
        />
        <RemoveButton label={`Remove ${kindLabel.toLowerCase()}`} onClick={onRemove} />
      </div>
      {value.kind === 'ipBlock' ? (
        <div className="ed-grid">
          <span className="ed-key">CIDR</span>
          <TextField
            path={`${path}.cidr`}
            label="CIDR"
            placeholder="10.0.0.0/16"
            value={value.cidr}
            validation={validation}
            onChange={(cidr) => onChange({ ...value, cidr })}
          />
          <span className="ed-key">Except</span>
          <div>
            {value.except.map((e, i) => (
              <div className="ed-row" key={i}>
                <TextField
                  path={`${path}.except[${i}]`}
                  label="Exception CIDR"
                  placeholder="10.0.5.0/24"
                  value={e}
                  validation={validation}
                  onChange={(v) => onChange({ ...value, except: replaceAt(value.except, i, v) })}
                />
                <RemoveButton
                  label="Remove exception"
                  onClick={() => onChange({ ...value, except: removeAt(value.except, i) })}
                />
              </div>
            ))}
            <AddButton
              testId={`add-except:${path}`}
              onClick={() => onChange({ ...value, except: [...value.except, ''] })}
            >
              Exception
            </AddButton>
          </div>
        </div>
      ) : (
        <div className="ed-grid">
          <span className="ed-key">Namespaces</span>
          <div>
            <Choice<NamespaceMode>
              path={`${path}.namespaces`}
              label="Namespaces"
              value={value.namespaces === 'same' ? 'same' : value.namespaces === 'all' ? 'all' : 'labels'}
              options={[
                { value: 'same', label: 'This namespace' },
                { value: 'all', label: 'All namespaces' },
                { value: 'labels', label: 'By labels' },
              ]}
              onChange={(mode) =>
                onChange({
                  ...value,
                  namespaces:
                    mode === 'labels'
                      ? { matchLabels: [{ key: '', value: '' }], matchExpressions: [] }
                      : mode,
                })
              }
            />
            {value.namespaces !== 'same' && value.namespaces !== 'all' && (
              <SelectorEditor
                noun="Namespace"
                path={`${path}.namespaces`}
                value={value.namespaces}
                validation={validation}
                onChange={(namespaces) => onChange({ ...value, namespaces })}
              />
            )}
          </div>
          <span className="ed-key">Pods</span>
          <div>
            <Choice<PodMode>
              path={`${path}.pods`}
              label="Pods"
              value={value.pods === 'all' ? 'all' : 'labels'}
              options={[
                { value: 'all', label: 'All pods' },
                { value: 'labels', label: 'By labels' },
              ]}
              onChange={(mode) =>
                onChange({
                  ...value,
                  pods:
                    mode === 'all' ? 'all' : { matchLabels: [{ key: '', value: '' }], matchExpressions: [] },
                })
              }
            />
            {value.pods !== 'all' && (
              <SelectorEditor
                noun="Pod"
                path={`${path}.pods`}
                value={value.pods}
                validation={validation}
                onChange={(pods) => onChange({ ...value, pods })}
              />
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function PortRow({
  value,
  onChange,
  path,
  validation,
  onRemove,
}: Props<PortDraft> & { onRemove: () => void }) {
  return (
    <div className="ed-row ed-port-row" data-row={path}>
      <SelectField
        path={`${path}.protocol`}
        label="Protocol"
        value={value.protocol}
        options={PROTOCOLS}
        validation={validation}
        onChange={(protocol) => onChange({ ...value, protocol })}
      />
      <TextField
        path={`${path}.port`}
        label="Port"
        placeholder="port or name"
        value={value.port}
        validation={validation}
        onChange={(port) => onChange({ ...value, port })}
      />
      <span className="ed-eq muted" aria-hidden="true">
        –
      </span>
      <TextField
        path={`${path}.endPort`}
        label="End port"
        placeholder="end port"
        value={value.endPort}
        validation={validation}
        onChange={(endPort) => onChange({ ...value, endPort })}
      />
      <RemoveButton label="Remove port" onClick={onRemove} />
    </div>
  );
}

function RuleEditor({
  value,
  onChange,
  path,
  validation,
  onRemove,
  direction,
  index,
  inactive,
}: Props<RuleDraft> & {
  onRemove: () => void;
  direction: 'ingress' | 'egress';
  index: number;
  inactive: boolean;
}) {
  const peersWord = direction === 'ingress' ? 'Sources' : 'Destinations';
  const peerWord = direction === 'ingress' ? 'source' : 'destination';
  const peers = value.peers === 'any' ? [] : value.peers;
  const ports = value.ports === 'any' ? [] : value.ports;
  return (
    <div className={`ed-rule ${inactive ? 'ed-rule-inactive' : ''}`} data-rule={path}>
      <div className="ed-rule-head">
        <span className={`tag tag-${direction}`}>
          {direction === 'ingress' ? 'Ingress' : 'Egress'} rule {index + 1}
        </span>
        {inactive && <span className="tag">not applied: not in policy types</span>}
        <span className="ed-spacer" />
        <RemoveButton
          label={`Remove ${direction} rule ${index + 1}`}
          onClick={onRemove}
          testId={`remove-rule:${path}`}
        />
      </div>
      <div className="ed-grid">
        <span className="ed-key">{peersWord}</span>
        <div>
          <Choice
            path={`${path}.peers`}
            label={peersWord}
            value={value.peers === 'any' ? 'any' : 'some'}
            options={[
              { value: 'any', label: direction === 'ingress' ? 'Anyone' : 'Anywhere' },
              { value: 'some', label: `Only these ${peersWord.toLowerCase()}` },
            ]}
            onChange={(mode) =>
              onChange({
                ...value,
                peers: mode === 'any' ? 'any' : [{ kind: 'pods', namespaces: 'same', pods: 'all' }],
              })
            }
          />
          {peers.map((peer, i) => (
            <PeerEditor
              key={i}
              direction={direction}
              path={`${path}.peers[${i}]`}
              value={peer}
              validation={validation}
              onChange={(p) => onChange({ ...value, peers: replaceAt(peers, i, p) })}
              onRemove={() => onChange({ ...value, peers: removeAt(peers, i) })}
            />
          ))}
          {value.peers !== 'any' && (
            <AddButton
              testId={`add-peer:${path}`}
              onClick={() =>
                onChange({ ...value, peers: [...peers, { kind: 'pods', namespaces: 'same', pods: 'all' }] })
              }
            >
              {peerWord.charAt(0).toUpperCase() + peerWord.slice(1)}
            </AddButton>
          )}
          <FieldIssues validation={validation} path={`${path}.peers`} />
        </div>
        <span className="ed-key">Ports</span>
        <div>
          <Choice
            path={`${path}.ports`}
            label="Ports"
            value={value.ports === 'any' ? 'any' : 'some'}
            options={[
              { value: 'any', label: 'All ports' },
              { value: 'some', label: 'Only these ports' },
            ]}
            onChange={(mode) =>
              onChange({
                ...value,
                ports: mode === 'any' ? 'any' : [{ protocol: 'TCP', port: '', endPort: '' }],
              })
            }
          />
          {ports.map((port, i) => (
            <PortRow
              key={i}
              path={`${path}.ports[${i}]`}
              value={port}
              validation={validation}
              onChange={(p) => onChange({ ...value, ports: replaceAt(ports, i, p) })}
              onRemove={() => onChange({ ...value, ports: removeAt(ports, i) })}
            />
          ))}
          {value.ports !== 'any' && (
            <AddButton
              testId={`add-port:${path}`}
              onClick={() =>
                onChange({ ...value, ports: [...ports, { protocol: 'TCP', port: '', endPort: '' }] })
              }
            >
              Port
            </AddButton>
          )}
          <FieldIssues validation={validation} path={`${path}.ports`} />
        </div>
      </div>
      <FieldIssues validation={validation} path={path} />
    </div>
  );
}

function Rules({
  draft,
  onChange,
  validation,
  direction,
}: {
  draft: PolicyDraft;
  onChange: (draft: PolicyDraft) => void;
  validation: DraftValidation;
  direction: 'ingress' | 'egress';
}) {
  const rules = draft[direction];
  const active = effectiveTypes(draft)[direction];
  const set = (next: readonly RuleDraft[]) => onChange({ ...draft, [direction]: next });
  return (
    <section className="ed-section" data-testid={`${direction}-rules`}>
      <h3 className="section-title">
        <span>{direction === 'ingress' ? 'Ingress rules' : 'Egress rules'}</span>
        <span className="section-aside">{rules.length === 0 ? 'none' : String(rules.length)}</span>
      </h3>
      {rules.length === 0 && (
        <p className="fine-print ed-hint">
          {active
            ? direction === 'ingress'
              ? 'No ingress rules: the selected pods accept no incoming traffic unless another policy allows it.'
              : 'No egress rules: the selected pods can send no traffic unless another policy allows it.'
            : `This policy does not restrict ${direction} (not in its policy types).`}
        </p>
      )}
      {rules.map((rule, i) => (
        <RuleEditor
          key={i}
          index={i}
          direction={direction}
          inactive={!active}
          path={`${direction}[${i}]`}
          value={rule}
          validation={validation}
          onChange={(r) => set(replaceAt(rules, i, r))}
          onRemove={() => set(removeAt(rules, i))}
        />
      ))}
      <AddButton
        testId={`add-${direction}-rule`}
        onClick={() => set([...rules, { peers: [], ports: 'any' }])}
      >
        {direction === 'ingress' ? 'Ingress rule' : 'Egress rule'}
      </AddButton>
      <FieldIssues validation={validation} path={direction} />
    </section>
  );
}

function PolicyTypes({
  draft,
  onChange,
  validation,
}: {
  draft: PolicyDraft;
  onChange: (draft: PolicyDraft) => void;
  validation: DraftValidation;
}) {
  const isDefault = draft.policyTypes === 'default';
  const types = effectiveTypes(draft);
  const toggle = (key: 'ingress' | 'egress') => {
    const current = draft.policyTypes === 'default' ? types : draft.policyTypes;
    onChange({ ...draft, policyTypes: { ...current, [key]: !current[key] } });
  };
  return (
    <section className="ed-section" data-testid="policy-types">
      <h3 className="section-title">
        <span>Policy types</span>
      </h3>
      <div className="ed-types" role="group" aria-label="Policy types">
        <label className="ed-check">
          <input
            type="checkbox"
            data-field="policyTypes.default"
            checked={isDefault}
            onChange={() => onChange({ ...draft, policyTypes: isDefault ? types : 'default' })}
          />
          Default
        </label>
        <label className={`ed-check ${isDefault ? 'ed-check-implied' : ''}`}>
          <input
            type="checkbox"
            data-field="policyTypes.ingress"
            checked={types.ingress}
            disabled={isDefault}
            onChange={() => toggle('ingress')}
          />
          Ingress
        </label>
        <label className={`ed-check ${isDefault ? 'ed-check-implied' : ''}`}>
          <input
            type="checkbox"
            data-field="policyTypes.egress"
            checked={types.egress}
            disabled={isDefault}
            onChange={() => toggle('egress')}
          />
          Egress
        </label>
      </div>
      <p className="fine-print ed-hint">
        Default writes no policy types: Ingress always, Egress only when the policy has egress rules.
      </p>
      <FieldIssues validation={validation} path="policyTypes" />
      <div className="ed-quick">
        <div className="ed-quick-item">
          <button
            type="button"
            className="button"
            data-testid="disable-ingress"
            onClick={() => onChange(disableIngressRules(draft))}
          >
            Disable ingress rules
          </button>
          <p className="fine-print">{DISABLE_INGRESS_EXPLANATION}</p>
        </div>
        <div className="ed-quick-item">
          <button
            type="button"
            className="button"
            data-testid="deny-all-egress"
            onClick={() => onChange(denyAllEgress(draft))}
          >
            Deny all egress
          </button>
          <p className="fine-print">{DENY_ALL_EGRESS_EXPLANATION}</p>
        </div>
      </div>
    </section>
  );
}

export function PolicyForm({
  draft,
  onChange,
  validation,
  namespaces,
  replaces,
}: {
  draft: PolicyDraft;
  onChange: (draft: PolicyDraft) => void;
  validation: DraftValidation;
  namespaces: readonly string[];
  /** `namespace/name` of the existing policy this draft takes the place of (same name, not its origin). */
  replaces?: string;
}) {
  return (
    <form className="ed-form" aria-label="Policy form" onSubmit={(e) => e.preventDefault()}>
      <section className="ed-section">
        <h3 className="section-title">
          <span>Policy</span>
          {replaces !== undefined ? (
            <span className="section-aside warn-text" data-testid="np-replaces" role="status">
              replaces {replaces}
            </span>
          ) : (
            draft.origin !== undefined && (
              <span className="section-aside">
                edits {draft.origin.namespace}/{draft.origin.name}
              </span>
            )
          )}
        </h3>
        <div className="ed-grid">
          <span className="ed-key">Name</span>
          <TextField
            path="name"
            label="Name"
            value={draft.name}
            validation={validation}
            onChange={(name) => onChange({ ...draft, name })}
          />
          <span className="ed-key">Namespace</span>
          <div>
            <input
              className="ed-input mono"
              data-field="namespace"
              aria-label="Namespace"
              list="ed-namespaces"
              value={draft.namespace}
              aria-invalid={validation.issues.some((i) => i.field === 'namespace' && i.severity === 'error')}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => onChange({ ...draft, namespace: e.target.value })}
            />
            <datalist id="ed-namespaces">
              {namespaces.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
            <FieldIssues validation={validation} path="namespace" />
          </div>
          <span className="ed-key">Description</span>
          <div>
            <textarea
              className="ed-input ed-textarea"
              data-field="description"
              aria-label="Description"
              rows={2}
              placeholder="What this policy is for (optional)"
              value={draft.description}
              onChange={(e) => onChange({ ...draft, description: e.target.value })}
            />
            <FieldIssues validation={validation} path="description" />
          </div>
        </div>
      </section>
      <section className="ed-section" data-testid="pod-selector">
        <h3 className="section-title">
          <span>Pod selector</span>
          <span className="section-aside">
            {draft.podSelector.matchLabels.length + draft.podSelector.matchExpressions.length === 0
              ? 'every pod in the namespace'
              : ''}
          </span>
        </h3>
        <SelectorEditor
          noun="Pod"
          path="podSelector"
          value={draft.podSelector}
          validation={validation}
          onChange={(podSelector) => onChange({ ...draft, podSelector })}
        />
      </section>
      <PolicyTypes draft={draft} onChange={onChange} validation={validation} />
      <Rules draft={draft} onChange={onChange} validation={validation} direction="ingress" />
      <Rules draft={draft} onChange={onChange} validation={validation} direction="egress" />
    </form>
  );
}
