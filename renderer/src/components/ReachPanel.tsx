/**
 * "Can A reach B?": a source and a destination (pods picked by name or by clicking the graph, or
 * addresses typed in), a port and a protocol. The verdict comes from the worker's `check` (the same
 * call `netglass check` makes) and is explained per side: egress at the source, ingress at the
 * destination, with the policies and rules that allow, or the policies that isolate.
 */
import { formatRuleMatch, formatTierChain } from '../../../shared/eval/index.ts';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { parseAddress } from '../../../shared/eval/ip.ts';
import type { ConnectionVerdict, Peer, PortProbe, SideResult } from '../../../shared/eval/index.ts';
import type { OpenPorts } from '../../../shared/eval/open-ports.ts';
import {
  isMentioned,
  nearMissText,
  peerText,
  probeText,
  snapshotCidrs,
} from '../../../shared/eval/wording.ts';
import { podKey, PROTOCOLS, type Protocol, type Snapshot } from '../../../shared/model/snapshot.ts';
import { sortedPods } from '../model/summary.ts';
import { reachPort } from '../store/analysis-store.ts';
import { useAnalysis, useView } from '../store/context.tsx';
import type { Endpoint } from '../store/view-store.ts';
import { IconClose, IconSwap } from './icons.tsx';
import { policyWhere } from './detail-parts.tsx';
import { TierChain } from './TierChain.tsx';
import { Section, Spinner } from './parts.tsx';

export function endpointText(e: Endpoint | undefined): string {
  return e === undefined ? '' : e.kind === 'pod' ? e.key : e.ip;
}

/** A pod key, a pod name (when unique), or an IP address. */
export function parseEndpoint(text: string, snapshot: Snapshot): Endpoint | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (parseAddress(t) !== undefined) return { kind: 'external', ip: t };
  const byKey = snapshot.pods.find((p) => podKey(p) === t);
  if (byKey !== undefined) return { kind: 'pod', key: t };
  const byName = snapshot.pods.filter((p) => p.name === t);
  if (byName.length === 1 && byName[0] !== undefined) return { kind: 'pod', key: podKey(byName[0]) };
  return undefined;
}

function EndpointPicker({
  label,
  value,
  snapshot,
  onChange,
  testId,
}: {
  label: string;
  value: Endpoint | undefined;
  snapshot: Snapshot;
  onChange: (e: Endpoint | undefined) => void;
  testId: string;
}) {
  const [text, setText] = useState(endpointText(value));
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => setText(endpointText(value)), [value]);
  const pods = useMemo(() => sortedPods(snapshot), [snapshot]);
  const q = text.trim().toLowerCase();
  const options = useMemo(
    () => (q === '' ? pods : pods.filter((p) => podKey(p).toLowerCase().includes(q))).slice(0, 30),
    [pods, q],
  );
  const isIp = parseAddress(text.trim()) !== undefined;
  const commit = (t: string): void => {
    const e = parseEndpoint(t, snapshot);
    onChange(e);
    setOpen(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(options.length - 1, 0)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const option = open && !isIp ? options[active] : undefined;
      if (option !== undefined) {
        setText(podKey(option));
        commit(podKey(option));
      } else commit(text);
    } else if (e.key === 'Escape' && open) {
      e.stopPropagation();
      setOpen(false);
    }
  };
  const invalid = text.trim() !== '' && !open && parseEndpoint(text, snapshot) === undefined;
  return (
    <div className="picker">
      <label className="picker-label" htmlFor={`${listId}-input`}>
        {label}
      </label>
      <div className={`picker-box ${invalid ? 'invalid' : ''}`}>
        <input
          ref={inputRef}
          id={`${listId}-input`}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && options[active] !== undefined ? `${listId}-${active}` : undefined}
          aria-invalid={invalid}
          data-testid={testId}
          placeholder="pod name or IP address"
          spellCheck={false}
          autoComplete="off"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => {
            // Let a click on an option land first.
            setTimeout(() => {
              setOpen(false);
              if (text !== endpointText(value)) commit(text);
            }, 120);
          }}
          onKeyDown={onKeyDown}
        />
        {value !== undefined && (
          <button
            type="button"
            className="icon-button picker-clear"
            aria-label={`Clear ${label.toLowerCase()}`}
            onClick={() => {
              setText('');
              onChange(undefined);
            }}
          >
            <IconClose />
          </button>
        )}
      </div>
      {open && !isIp && options.length > 0 && (
        <ul className="picker-list" role="listbox" id={listId} aria-label={`${label} suggestions`}>
          {options.map((p, i) => (
            <li
              key={podKey(p)}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`picker-option ${i === active ? 'active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                setText(podKey(p));
                commit(podKey(p));
              }}
            >
              <span className="mono">{p.name}</span>
              <span className="muted">{p.namespace}</span>
            </li>
          ))}
        </ul>
      )}
      {invalid && <div className="picker-error">Not a pod of this source or an IP address.</div>}
    </div>
  );
}

/** Rules of the isolating policies that matched all but the port, the pod or the namespace. */
function NearMisses({ side, other, cidrs }: { side: SideResult; other: Peer; cidrs: readonly string[] }) {
  if (side.kind !== 'denied' || side.nearMisses === undefined || side.nearMisses.length === 0) return null;
  return (
    <div className="near-misses" data-testid="near-misses">
      Closest {side.nearMisses.length === 1 ? 'rule' : 'rules'}:
      <ul className="match-list">
        {side.nearMisses.map((m, i) => (
          <li key={i} className="near-miss" data-testid="near-miss" data-missed={m.missed}>
            {nearMissText(m, other, cidrs)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function SideExplanation({
  side,
  direction,
  subject,
  other,
  snapshot,
  cidrs,
}: {
  side: SideResult;
  direction: 'ingress' | 'egress';
  subject: string;
  other: Peer;
  snapshot: Snapshot;
  cidrs: readonly string[];
}) {
  const select = useView((s) => s.select);
  const closeReach = useView((s) => s.closeReach);
  const openPolicy = (key: string): void => {
    closeReach();
    select({ kind: 'policy', key });
  };
  const where = (policy: string): string => policyWhere(snapshot, policy);
  const allows = sideWord(side);
  const tiers = side.kind === 'not-subject' ? undefined : side.tiers;
  return (
    <div
      className={`side side-${allows}`}
      data-testid={`side-${direction}`}
      data-kind={side.kind}
      data-decided-by={tiers?.decidedBy ?? ''}
      data-chain={formatTierChain(side, direction) ?? ''}
    >
      <div className="side-head">
        <span className={`tag tag-${direction}`}>{direction === 'egress' ? 'Egress' : 'Ingress'}</span>
        <span className="side-at">
          at <span className="mono">{subject}</span>
        </span>
        <span className={`side-verdict verdict-${allows}`}>
          {allows === 'conditional' ? 'allows some requests' : allows}
        </span>
      </div>
      {tiers !== undefined ? (
        <div className="side-body">
          <TierChain side={side} direction={direction} snapshot={snapshot} onOpen={closeReach} />
          <NearMisses side={side} other={other} cidrs={cidrs} />
          {side.kind === 'unknown' && side.conditional === true && (
            <div className="conditional-note" data-testid="side-conditional">
              Allowed only for some requests: {side.reason}
            </div>
          )}
          {side.kind === 'unknown' && side.conditional !== true && (
            <div className="chain-unknown" data-testid="side-unknown">
              Unknown: {sentence(side.reason)}
              {side.possible.length > 0 && (
                <>
                  {' '}
                  Possibly allowed by:
                  <ul className="match-list">
                    {side.possible.map((m, i) => (
                      <li key={i} className="mono">
                        {formatRuleMatch(m)}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
        </div>
      ) : (
        <div className="side-body">
          {side.kind === 'not-subject' &&
            (side.reason === 'external'
              ? 'An address outside the cluster: no policy applies to it.'
              : 'Uses the host network: NetworkPolicy does not apply to it.')}
          {side.kind === 'not-isolated' &&
            `No policy selects it for ${direction}, so all ${direction} is allowed.`}
          {side.kind === 'allowed' && (
            <>
              Allowed by {side.matches.length === 1 ? 'the rule' : 'these rules'}:
              <ul className="match-list">
                {side.matches.map((m, i) => (
                  <li key={i}>
                    <button
                      type="button"
                      className="link-chip mono"
                      onClick={() => openPolicy(m.policy)}
                      data-testid="rule-match"
                    >
                      {formatRuleMatch(m)}
                    </button>
                    <span className="muted">{where(m.policy)}</span>
                  </li>
                ))}
              </ul>
              <span className="muted">
                Isolated for {direction} by {side.policies.join(', ')}.
              </span>
            </>
          )}
          {side.kind === 'denied' && (
            <>
              Isolated for {direction} by {side.policies.length === 1 ? 'this policy' : 'these policies'}, and
              no {direction} rule of {side.policies.length === 1 ? 'it' : 'them'} matches:
              <ul className="match-list">
                {side.policies.map((p) => (
                  <li key={p}>
                    <button
                      type="button"
                      className="link-chip mono"
                      onClick={() => openPolicy(p)}
                      data-testid="isolating-policy"
                    >
                      {p}
                    </button>
                    <span className="muted">{where(p)}</span>
                  </li>
                ))}
              </ul>
              <NearMisses side={side} other={other} cidrs={cidrs} />
            </>
          )}
          {side.kind === 'unknown' && side.conditional === true && (
            <div className="conditional-note" data-testid="side-conditional">
              Allowed only for some requests: {side.reason}
            </div>
          )}
          {side.kind === 'unknown' && side.conditional !== true && (
            <>
              Unknown: {sentence(side.reason)}
              {side.possible.length > 0 && (
                <>
                  {' '}
                  Possibly allowed by:
                  <ul className="match-list">
                    {side.possible.map((m, i) => (
                      <li key={i} className="mono">
                        {formatRuleMatch(m)}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}

const VERDICT_WORD: Readonly<Record<ConnectionVerdict['verdict'], string>> = {
  allowed: 'Allowed',
  denied: 'Denied',
  unknown: 'Unknown',
  conditional: 'Conditional',
};

/** How a side reads in the panel; `conditional` is the evaluator's flag on an `unknown` side. */
function sideWord(side: SideResult): 'allows' | 'denies' | 'unknown' | 'conditional' {
  if (side.kind === 'denied') return 'denies';
  if (side.kind === 'unknown') return side.conditional === true ? 'conditional' : 'unknown';
  return 'allows';
}

/** The evaluator's reasons, per side, that a conditional verdict holds only for some requests. */
export function conditionalReasons(verdict: ConnectionVerdict): string[] {
  const out: string[] = [];
  for (const side of [verdict.egress, verdict.ingress])
    if (side.kind === 'unknown' && side.conditional === true && !out.includes(side.reason))
      out.push(side.reason);
  return out;
}

function Verdict({
  verdict,
  snapshot,
  cidrs,
}: {
  verdict: ConnectionVerdict;
  snapshot: Snapshot;
  cidrs: readonly string[];
}) {
  const q = verdict.query;
  const from = peerText(q.from, cidrs);
  const to = peerText(q.to, cidrs);
  return (
    <div className="verdict-block" data-testid="reach-verdict" data-verdict={verdict.verdict}>
      <div className={`verdict-banner verdict-${verdict.verdict}`}>
        <span className="verdict-word">{VERDICT_WORD[verdict.verdict]}</span>
        <span className="verdict-query mono">
          {q.protocol} {q.port}
        </span>
      </div>
      {verdict.verdict === 'conditional' && (
        <p className="verdict-conditional-reason" data-testid="verdict-conditional">
          Allowed only for some requests: {conditionalReasons(verdict).join('; ')}
        </p>
      )}
      <SideExplanation
        side={verdict.egress}
        direction="egress"
        subject={from}
        other={q.to}
        snapshot={snapshot}
        cidrs={cidrs}
      />
      <SideExplanation
        side={verdict.ingress}
        direction="ingress"
        subject={to}
        other={q.from}
        snapshot={snapshot}
        cidrs={cidrs}
      />
    </div>
  );
}

/**
 * Every probed port between the two ends: the ports the policies name, and one stand-in for each class
 * of ports they treat alike ("any other TCP port"). A click puts a port in the port field.
 */
function OpenPortList({ open, onPick }: { open: OpenPorts; onPick: (probe: PortProbe) => void }) {
  const load = useAnalysis((s) => s.load);
  const mentioned = load?.mentionedPorts ?? [];
  const universe = load?.ports ?? open.ports.map((p) => p.probe);
  const allowed = open.ports.filter((p) => p.verdict === 'allowed');
  const unknown = open.ports.filter((p) => p.verdict === 'unknown');
  const label = (i: number) =>
    probeText(open.ports[i]?.probe ?? { protocol: 'TCP', port: 1 }, mentioned, 'ui', universe);
  return (
    <div data-testid="open-ports" data-open={allowed.length}>
      {allowed.length === 0 ? (
        <p className="fine-print">No port is open from the source to the destination.</p>
      ) : (
        <ul className="port-chips" aria-label="Open ports">
          {open.ports.map((p, i) =>
            p.verdict === 'allowed' ? (
              <li key={i}>
                <button
                  type="button"
                  className="port-chip mono"
                  data-testid="open-port"
                  title={
                    !isMentioned(p.probe, mentioned)
                      ? `Probed as ${p.probe.protocol} ${p.probe.port}`
                      : undefined
                  }
                  onClick={() => onPick(p.probe)}
                >
                  {label(i)}
                </button>
              </li>
            ) : null,
          )}
        </ul>
      )}
      {unknown.length > 0 && (
        <p className="fine-print">
          Not decided (conditional rules, unreadable objects or the CNI):{' '}
          {unknown.map((p) => label(open.ports.indexOf(p))).join(', ')}
        </p>
      )}
      <p className="fine-print" data-testid="open-ports-note">
        {allowed.length} of {open.ports.length} probed ports open: one probe per port the policies name, and
        one per range of ports they treat alike.
      </p>
    </div>
  );
}

export function ReachPanel({ snapshot }: { snapshot: Snapshot }) {
  const reach = useView((s) => s.reach);
  const setReach = useView((s) => s.setReach);
  const swapReach = useView((s) => s.swapReach);
  const closeReach = useView((s) => s.closeReach);
  const check = useAnalysis((s) => s.check);
  const ports = useAnalysis((s) => s.ports);
  const cidrs = useMemo(() => snapshotCidrs(snapshot), [snapshot]);
  const port = reachPort(reach, snapshot);
  const portError = port?.kind === 'error' ? port.message : undefined;
  const missing =
    reach.from === undefined
      ? 'Pick a source: click a pod on the graph, or type a pod name or an address.'
      : reach.to === undefined
        ? 'Now pick a destination.'
        : port?.kind !== 'ok'
          ? 'Enter a port (a number or a container port name), or pick one of the open ports below.'
          : undefined;
  return (
    <aside className="details" aria-label="Can A reach B?" data-testid="reach-panel">
      <div className="details-header">
        <div className="details-heading">
          <div className="eyebrow">Reachability</div>
          <h2 className="details-title">Can A reach B?</h2>
        </div>
        <div className="details-actions">
          <button type="button" className="icon-button" aria-label="Close reach check" onClick={closeReach}>
            <IconClose />
          </button>
        </div>
      </div>
      <div className="details-body">
        <Section title="Connection">
          <div className="reach-form">
            <EndpointPicker
              label="Source"
              value={reach.from}
              snapshot={snapshot}
              onChange={(from) => setReach({ from })}
              testId="reach-from"
            />
            <button
              type="button"
              className="icon-button swap"
              aria-label="Swap source and destination"
              title="Swap"
              onClick={swapReach}
            >
              <IconSwap />
            </button>
            <EndpointPicker
              label="Destination"
              value={reach.to}
              snapshot={snapshot}
              onChange={(to) => setReach({ to })}
              testId="reach-to"
            />
            <div className="port-row">
              <div className="picker">
                <label className="picker-label" htmlFor="reach-port">
                  Port
                </label>
                <div className={`picker-box ${portError !== undefined ? 'invalid' : ''}`}>
                  <input
                    id="reach-port"
                    data-testid="reach-port"
                    placeholder="5432 or https"
                    spellCheck={false}
                    autoComplete="off"
                    value={reach.port}
                    aria-invalid={portError !== undefined}
                    onChange={(e) => setReach({ port: e.target.value })}
                  />
                </div>
              </div>
              <div className="segmented" role="radiogroup" aria-label="Protocol">
                {PROTOCOLS.map((p: Protocol) => (
                  <button
                    key={p}
                    type="button"
                    role="radio"
                    aria-checked={reach.protocol === p}
                    className={reach.protocol === p ? 'active' : ''}
                    onClick={() => setReach({ protocol: p })}
                  >
                    {p}
                  </button>
                ))}
              </div>
            </div>
            {portError !== undefined && (
              <div className="picker-error" data-testid="reach-port-error">
                {portError}
              </div>
            )}
            {port?.kind === 'ok' && reach.port.trim() !== String(port.probe.port) && (
              <div className="fine-print" data-testid="reach-port-resolved">
                {reach.port.trim()} is {port.probe.protocol} {port.probe.port} on the destination.
              </div>
            )}
          </div>
        </Section>
        <Section title="Verdict">
          {missing !== undefined ? (
            <p className="fine-print" data-testid="reach-hint">
              {missing}
            </p>
          ) : check === undefined || (check.status === 'loading' && check.value === undefined) ? (
            <Spinner />
          ) : check.status === 'failed' ? (
            <div className="callout callout-danger" data-testid="reach-error">
              {check.error}
            </div>
          ) : check.value !== undefined ? (
            <Verdict verdict={check.value} snapshot={snapshot} cidrs={cidrs} />
          ) : null}
        </Section>
        {ports !== undefined && (
          <Section title="Open ports">
            {ports.value !== undefined ? (
              <OpenPortList
                open={ports.value}
                onPick={(probe) => setReach({ port: String(probe.port), protocol: probe.protocol })}
              />
            ) : ports.status === 'failed' ? (
              <div className="callout callout-danger">{ports.error}</div>
            ) : (
              <Spinner />
            )}
          </Section>
        )}
      </div>
    </aside>
  );
}

/** A reason as a sentence: it ends with a full stop, so what follows reads as the next one. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
