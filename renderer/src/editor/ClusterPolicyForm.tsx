/**
 * The ClusterNetworkPolicy form over a `ClusterPolicyDraft`: name, apiVersion, description; tier and
 * priority; the subject (namespaces, or pods in namespaces); ordered ingress and egress rules, each
 * with a name, an action and its peers and ports. Rules can be added, removed and moved, since the
 * first rule that matches decides. Every change hands a new draft up; the validation's messages show
 * at their inputs, word for word.
 */
import type {
  AdminPeerDraft,
  AdminPortDraft,
  AdminRuleDraft,
  AdminSubjectDraft,
  ClusterPolicyDraft,
  DraftValidation,
  SelectorDraft,
} from '../../../shared/editor/index.ts';
import {
  CLUSTER_POLICY_GROUP,
  CLUSTER_POLICY_VERSIONS,
  EMPTY_SELECTOR,
  MAX_CLUSTER_PRIORITY,
  isEmptySelector,
  moveRule,
} from '../../../shared/editor/index.ts';
import type { AdminAction, AdminTier } from '../../../shared/model/snapshot.ts';
import { AddButton, Choice, FieldIssues, RemoveButton, SelectField, TextField } from './fields.tsx';
import {
  RulePorts,
  DescriptionField,
  KeyedSelector,
  PortRangeFields,
  RuleSection,
  SelectorEditor,
  StringList,
  replaceAt,
  removeAt,
  type Direction,
  type FieldProps,
} from './form-parts.tsx';

const ACTIONS: readonly { value: AdminAction; label: string }[] = [
  { value: 'Accept', label: 'Accept' },
  { value: 'Deny', label: 'Deny' },
  { value: 'Pass', label: 'Pass' },
];

const ACTION_HINT: Readonly<Record<AdminTier, Readonly<Record<AdminAction, string>>>> = {
  Admin: {
    Accept: 'Accept: allowed on this side; NetworkPolicies and the Baseline tier are not read.',
    Deny: 'Deny: refused, whatever NetworkPolicies say.',
    Pass: 'Pass: skip the rest of the Admin tier; NetworkPolicies (then the Baseline tier) decide.',
  },
  Baseline: {
    Accept: 'Accept: allowed on this side (read only where no NetworkPolicy isolates the pod).',
    Deny: 'Deny: refused (read only where no NetworkPolicy isolates the pod).',
    Pass: 'Pass: skip the rest of the Baseline tier; the default (allow) applies.',
  },
};

/** Namespaces by labels, and pods by labels within them when the scope has pods. */
function ScopeSelectors<S extends { namespaces: SelectorDraft; pods?: SelectorDraft }>({
  value,
  onChange,
  path,
  validation,
}: FieldProps<S>) {
  const pods = value.pods;
  return (
    <>
      <KeyedSelector
        keyLabel="Namespaces"
        noun="Namespace"
        emptyMeans="every namespace"
        empty={isEmptySelector(value.namespaces)}
        path={`${path}.namespaces`}
        value={value.namespaces}
        validation={validation}
        onChange={(namespaces) => onChange({ ...value, namespaces })}
      />
      {pods !== undefined && (
        <KeyedSelector
          keyLabel="Pods"
          noun="Pod"
          emptyMeans="every pod"
          empty={isEmptySelector(pods)}
          path={`${path}.pods`}
          value={pods}
          validation={validation}
          onChange={(next) => onChange({ ...value, pods: next })}
        />
      )}
    </>
  );
}

function SubjectEditor({ value, onChange, path, validation }: FieldProps<AdminSubjectDraft>) {
  return (
    <section className="ed-section" data-testid="cnp-subject">
      <h3 className="section-title">
        <span>Subject</span>
        <span className="section-aside">the pods this policy applies to</span>
      </h3>
      <Choice<AdminSubjectDraft['kind']>
        path={path}
        label="Subject"
        value={value.kind}
        options={[
          { value: 'namespaces', label: 'Namespaces' },
          { value: 'pods', label: 'Pods in namespaces' },
        ]}
        onChange={(kind) =>
          onChange(
            kind === 'namespaces'
              ? { kind, namespaces: value.namespaces }
              : { kind, namespaces: value.namespaces, pods: EMPTY_SELECTOR },
          )
        }
      />
      <div className="ed-grid">
        <ScopeSelectors path={path} value={value} validation={validation} onChange={onChange} />
      </div>
      <FieldIssues validation={validation} path={path} />
    </section>
  );
}

function newPeer(kind: AdminPeerDraft['kind']): AdminPeerDraft {
  switch (kind) {
    case 'namespaces':
      return { kind, namespaces: EMPTY_SELECTOR };
    case 'pods':
      return { kind, namespaces: EMPTY_SELECTOR, pods: EMPTY_SELECTOR };
    case 'networks':
      return { kind, cidrs: [''] };
    case 'nodes':
      return { kind, nodes: EMPTY_SELECTOR };
    case 'domainNames':
      return { kind, domainNames: [''] };
  }
}

function PeerEditor({
  value,
  onChange,
  path,
  validation,
  onRemove,
  direction,
}: FieldProps<AdminPeerDraft> & { onRemove: () => void; direction: Direction }) {
  const word = direction === 'ingress' ? 'Source' : 'Destination';
  const options: { value: AdminPeerDraft['kind']; label: string }[] = [
    { value: 'namespaces', label: 'Namespaces' },
    { value: 'pods', label: 'Pods' },
  ];
  // networks are egress-only; nodes and domainNames (experimental) are offered only on a peer that
  // already is one, so that a policy using them stays editable.
  if (direction === 'egress' || value.kind === 'networks')
    options.push({ value: 'networks', label: 'Networks' });
  if (value.kind === 'nodes') options.push({ value: 'nodes', label: 'Nodes' });
  if (value.kind === 'domainNames') options.push({ value: 'domainNames', label: 'Domain names' });
  return (
    <div className="ed-peer" data-peer={path}>
      <div className="ed-peer-head">
        <Choice<AdminPeerDraft['kind']>
          path={`${path}.kind`}
          label={`${word} kind`}
          value={value.kind}
          options={options}
          onChange={(kind) => onChange(kind === value.kind ? value : newPeer(kind))}
        />
        <RemoveButton label={`Remove ${word.toLowerCase()}`} onClick={onRemove} />
      </div>
      <div className="ed-grid">
        {(value.kind === 'namespaces' || value.kind === 'pods') && (
          <ScopeSelectors path={path} value={value} validation={validation} onChange={onChange} />
        )}
        {value.kind === 'networks' && (
          <>
            <span className="ed-key">CIDRs</span>
            <StringList
              path={`${path}.cidrs`}
              itemLabel="CIDR"
              removeLabel="Remove CIDR"
              placeholder="10.0.0.0/8"
              values={value.cidrs}
              validation={validation}
              addLabel="CIDR"
              addTestId={`add-item:${path}.cidrs`}
              onChange={(cidrs) => onChange({ ...value, cidrs })}
            />
          </>
        )}
        {value.kind === 'nodes' && (
          <>
            <span className="ed-key">Nodes</span>
            <SelectorEditor
              noun="Node"
              path={`${path}.nodes`}
              value={value.nodes}
              validation={validation}
              onChange={(nodes) => onChange({ ...value, nodes })}
            />
          </>
        )}
        {value.kind === 'domainNames' && (
          <>
            <span className="ed-key">Domains</span>
            <StringList
              path={`${path}.domainNames`}
              itemLabel="Domain name"
              removeLabel="Remove Domain name"
              placeholder="*.example.com"
              values={value.domainNames}
              validation={validation}
              addLabel="Domain name"
              addTestId={`add-item:${path}.domainNames`}
              onChange={(domainNames) => onChange({ ...value, domainNames })}
            />
          </>
        )}
      </div>
      <FieldIssues validation={validation} path={path} />
    </div>
  );
}

function PortRow({
  value,
  onChange,
  path,
  validation,
  onRemove,
}: FieldProps<AdminPortDraft> & { onRemove: () => void }) {
  return (
    <div className="ed-row ed-port-row" data-row={path}>
      <SelectField<AdminPortDraft['kind']>
        path={`${path}.kind`}
        label="Port kind"
        value={value.kind}
        options={[
          { value: 'port', label: 'Port / range' },
          { value: 'named', label: 'Named port' },
        ]}
        onChange={(kind) =>
          onChange(
            kind === value.kind
              ? value
              : kind === 'named'
                ? { kind, name: '' }
                : { kind, protocol: 'TCP', port: '', endPort: '' },
          )
        }
      />
      {value.kind === 'port' ? (
        <PortRangeFields
          path={path}
          value={value}
          validation={validation}
          portPlaceholder="port"
          endPlaceholder="end (range)"
          onChange={(range) => onChange({ kind: 'port', ...range })}
        />
      ) : (
        <TextField
          path={`${path}.name`}
          label="Port name"
          placeholder="container port name"
          value={value.name}
          validation={validation}
          onChange={(name) => onChange({ ...value, name })}
        />
      )}
      <RemoveButton label="Remove port" onClick={onRemove} />
      <FieldIssues validation={validation} path={path} />
    </div>
  );
}

const NEW_PORT: AdminPortDraft = { kind: 'port', protocol: 'TCP', port: '', endPort: '' };

function RuleEditor({
  value,
  onChange,
  path,
  validation,
  direction,
  index,
  count,
  tier,
  onRemove,
  onMove,
}: FieldProps<AdminRuleDraft> & {
  direction: Direction;
  index: number;
  count: number;
  tier: AdminTier;
  onRemove: () => void;
  onMove: (by: -1 | 1) => void;
}) {
  const peersWord = direction === 'ingress' ? 'Sources' : 'Destinations';
  const peerWord = direction === 'ingress' ? 'Source' : 'Destination';
  return (
    <div className="ed-rule" data-rule={path}>
      <div className="ed-rule-head">
        <span className={`tag tag-${direction}`}>
          {direction === 'ingress' ? 'Ingress' : 'Egress'} rule {index + 1}
        </span>
        <span
          className={`tag ${value.action === 'Deny' ? 'tag-deny' : ''}`}
          data-testid={`action-tag:${path}`}
        >
          {value.action}
        </span>
        <span className="ed-spacer" />
        <button
          type="button"
          className="text-button"
          data-testid={`move-up:${path}`}
          disabled={index === 0}
          aria-label={`Move ${direction} rule ${index + 1} up`}
          onClick={() => onMove(-1)}
        >
          ↑ Up
        </button>
        <button
          type="button"
          className="text-button"
          data-testid={`move-down:${path}`}
          disabled={index === count - 1}
          aria-label={`Move ${direction} rule ${index + 1} down`}
          onClick={() => onMove(1)}
        >
          ↓ Down
        </button>
        <RemoveButton
          label={`Remove ${direction} rule ${index + 1}`}
          onClick={onRemove}
          testId={`remove-rule:${path}`}
        />
      </div>
      <div className="ed-grid">
        <span className="ed-key">Name</span>
        <TextField
          path={`${path}.name`}
          label="Rule name"
          placeholder="optional"
          value={value.name}
          validation={validation}
          onChange={(name) => onChange({ ...value, name })}
        />
        <span className="ed-key">Action</span>
        <div>
          <Choice<AdminAction>
            path={`${path}.action`}
            label="Action"
            value={value.action}
            options={ACTIONS}
            onChange={(action) => onChange({ ...value, action })}
          />
          <p className="fine-print ed-hint">{ACTION_HINT[tier][value.action]}</p>
          <FieldIssues validation={validation} path={`${path}.action`} />
        </div>
        <span className="ed-key">{peersWord}</span>
        <div>
          {value.peers.map((peer, i) => (
            <PeerEditor
              key={i}
              direction={direction}
              path={`${path}.peers[${i}]`}
              value={peer}
              validation={validation}
              onChange={(p) => onChange({ ...value, peers: replaceAt(value.peers, i, p) })}
              onRemove={() => onChange({ ...value, peers: removeAt(value.peers, i) })}
            />
          ))}
          <AddButton
            testId={`add-peer:${path}`}
            onClick={() => onChange({ ...value, peers: [...value.peers, newPeer('namespaces')] })}
          >
            {peerWord}
          </AddButton>
          <FieldIssues validation={validation} path={`${path}.peers`} />
        </div>
        <RulePorts<AdminPortDraft>
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
  draft: ClusterPolicyDraft;
  onChange: (draft: ClusterPolicyDraft) => void;
  validation: DraftValidation;
  direction: Direction;
}) {
  const rules = draft[direction];
  const set = (next: readonly AdminRuleDraft[]) => onChange({ ...draft, [direction]: next });
  return (
    <RuleSection
      direction={direction}
      count={rules.length}
      hint={
        rules.length === 0
          ? `No ${direction} rules: this policy leaves ${direction === 'ingress' ? 'incoming' : 'outgoing'} traffic to the other tiers.`
          : 'In order: the first rule that matches a connection decides with its action.'
      }
      validation={validation}
      onAdd={() => set([...rules, { name: '', action: 'Accept', peers: [], ports: 'any' }])}
    >
      {rules.map((rule, i) => (
        <RuleEditor
          key={i}
          index={i}
          count={rules.length}
          direction={direction}
          tier={draft.tier}
          path={`${direction}[${i}]`}
          value={rule}
          validation={validation}
          onChange={(r) => set(replaceAt(rules, i, r))}
          onRemove={() => set(removeAt(rules, i))}
          onMove={(by) => set(moveRule(rules, i, by))}
        />
      ))}
    </RuleSection>
  );
}

export function ClusterPolicyForm({
  draft,
  onChange,
  validation,
  replaces,
}: {
  draft: ClusterPolicyDraft;
  onChange: (draft: ClusterPolicyDraft) => void;
  validation: DraftValidation;
  /** The key of the existing admin policy this new draft replaces in the what-if (same name). */
  replaces?: string;
}) {
  const versions = CLUSTER_POLICY_VERSIONS.map((v) => `${CLUSTER_POLICY_GROUP}/${v}`);
  const versionOptions = (
    versions.includes(draft.apiVersion) ? versions : [draft.apiVersion, ...versions]
  ).map((v) => ({ value: v, label: v }));
  return (
    <form className="ed-form" aria-label="ClusterNetworkPolicy form" onSubmit={(e) => e.preventDefault()}>
      <section className="ed-section">
        <h3 className="section-title">
          <span>ClusterNetworkPolicy</span>
          {draft.origin !== undefined ? (
            <span className="section-aside">edits {draft.origin.name}</span>
          ) : (
            replaces !== undefined && (
              <span className="section-aside warn-text" data-testid="cnp-replaces">
                replaces {replaces}
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
          <span className="ed-key">API version</span>
          <SelectField
            path="apiVersion"
            label="API version"
            value={draft.apiVersion}
            options={versionOptions}
            validation={validation}
            onChange={(apiVersion) => onChange({ ...draft, apiVersion })}
          />
          <DescriptionField
            value={draft.description}
            validation={validation}
            onChange={(description) => onChange({ ...draft, description })}
          />
          <span className="ed-key">Tier</span>
          <div>
            <Choice<AdminTier>
              path="tier"
              label="Tier"
              value={draft.tier}
              options={[
                { value: 'Admin', label: 'Admin' },
                { value: 'Baseline', label: 'Baseline' },
              ]}
              onChange={(tier) => onChange({ ...draft, tier })}
            />
            <p className="fine-print ed-hint">
              {draft.tier === 'Admin'
                ? 'Admin: read before any NetworkPolicy.'
                : 'Baseline: read after NetworkPolicies, only for pods no NetworkPolicy isolates.'}
            </p>
            <FieldIssues validation={validation} path="tier" />
          </div>
          <span className="ed-key">Priority</span>
          <div>
            <TextField
              path="priority"
              label="Priority"
              placeholder={`0 to ${MAX_CLUSTER_PRIORITY}`}
              value={draft.priority}
              validation={validation}
              onChange={(priority) => onChange({ ...draft, priority })}
            />
            <p className="fine-print ed-hint">
              0 to {MAX_CLUSTER_PRIORITY}: within the tier, a lower number goes first.
            </p>
          </div>
        </div>
      </section>
      <SubjectEditor
        path="subject"
        value={draft.subject}
        validation={validation}
        onChange={(subject) => onChange({ ...draft, subject })}
      />
      <Rules draft={draft} onChange={onChange} validation={validation} direction="ingress" />
      <Rules draft={draft} onChange={onChange} validation={validation} direction="egress" />
    </form>
  );
}
