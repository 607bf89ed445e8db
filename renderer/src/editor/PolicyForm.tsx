/**
 * The seed's policy form over a `PolicyDraft`: name, namespace, description; pod selector by labels and
 * expressions; policy types Default / Ingress / Egress; ingress rules (ports, sources) and egress
 * rules (ports, destinations). Every change hands a new draft up; `validateDraft`'s messages show at
 * their inputs, word for word.
 */
import type {
  PeerDraft,
  PolicyDraft,
  PortDraft,
  RuleDraft,
  DraftValidation,
} from '../../../shared/editor/index.ts';
import {
  DENY_ALL_EGRESS_EXPLANATION,
  DISABLE_INGRESS_EXPLANATION,
  denyAllEgress,
  disableIngressRules,
  effectiveTypes,
} from '../../../shared/editor/index.ts';
import { Choice, FieldIssues, RemoveButton, TextField } from './fields.tsx';
import {
  AnyOrList,
  RulePorts,
  DescriptionField,
  PortRangeFields,
  RuleSection,
  SelectorEditor,
  StringList,
  replaceAt,
  removeAt,
  type Direction,
  type FieldProps,
} from './form-parts.tsx';

type NamespaceMode = 'same' | 'all' | 'labels';
type PodMode = 'all' | 'labels';

function PeerEditor({
  value,
  onChange,
  path,
  validation,
  onRemove,
  direction,
}: FieldProps<PeerDraft> & { onRemove: () => void; direction: Direction }) {
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
          <StringList
            path={`${path}.except`}
            itemLabel="Exception CIDR"
            removeLabel="Remove exception"
            placeholder="10.0.5.0/24"
            values={value.except}
            validation={validation}
            addLabel="Exception"
            addTestId={`add-except:${path}`}
            onChange={(except) => onChange({ ...value, except })}
          />
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
}: FieldProps<PortDraft> & { onRemove: () => void }) {
  return (
    <div className="ed-row ed-port-row" data-row={path}>
      <PortRangeFields
        path={path}
        value={value}
        validation={validation}
        portPlaceholder="port or name"
        endPlaceholder="end port"
        onChange={onChange}
      />
      <RemoveButton label="Remove port" onClick={onRemove} />
    </div>
  );
}

const NEW_PEER: PeerDraft = { kind: 'pods', namespaces: 'same', pods: 'all' };
const NEW_PORT: PortDraft = { protocol: 'TCP', port: '', endPort: '' };

function RuleEditor({
  value,
  onChange,
  path,
  validation,
  onRemove,
  direction,
  index,
  inactive,
}: FieldProps<RuleDraft> & {
  onRemove: () => void;
  direction: Direction;
  index: number;
  inactive: boolean;
}) {
  const peersWord = direction === 'ingress' ? 'Sources' : 'Destinations';
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
        <AnyOrList<PeerDraft>
          path={`${path}.peers`}
          label={peersWord}
          anyLabel={direction === 'ingress' ? 'Anyone' : 'Anywhere'}
          someLabel={`Only these ${peersWord.toLowerCase()}`}
          value={value.peers}
          validation={validation}
          fresh={() => NEW_PEER}
          addLabel={direction === 'ingress' ? 'Source' : 'Destination'}
          addTestId={`add-peer:${path}`}
          onChange={(peers) => onChange({ ...value, peers })}
          renderItem={(peer, peerPath, change, remove) => (
            <PeerEditor
              direction={direction}
              path={peerPath}
              value={peer}
              validation={validation}
              onChange={change}
              onRemove={remove}
            />
          )}
        />
        <RulePorts<PortDraft>
          rulePath={path}
          value={value.ports}
          validation={validation}
          fresh={() => NEW_PORT}
          Row={PortRow}
          onChange={(ports) => onChange({ ...value, ports })}
        />
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
  direction: Direction;
}) {
  const rules = draft[direction];
  const active = effectiveTypes(draft)[direction];
  const set = (next: readonly RuleDraft[]) => onChange({ ...draft, [direction]: next });
  const hint =
    rules.length > 0
      ? null
      : !active
        ? `This policy does not restrict ${direction} (not in its policy types).`
        : direction === 'ingress'
          ? 'No ingress rules: the selected pods accept no incoming traffic unless another policy allows it.'
          : 'No egress rules: the selected pods can send no traffic unless another policy allows it.';
  return (
    <RuleSection
      direction={direction}
      count={rules.length}
      hint={hint}
      validation={validation}
      onAdd={() => set([...rules, { peers: [], ports: 'any' }])}
    >
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
    </RuleSection>
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
          <DescriptionField
            value={draft.description}
            validation={validation}
            onChange={(description) => onChange({ ...draft, description })}
          />
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
