/** A pod's allowed inbound or outbound connections: each peer once, grouped by the ports it may use. */
import type { PortProbe } from '../../../../shared/eval/index.ts';
import type { PeerAccess, PodView } from '../../analysis/protocol.ts';
import { formatProbe, peerLabel } from '../../model/describe.ts';
import { plural, Section } from '../parts.tsx';
import { groupByPorts, type PeerGroup } from './peer-groups.ts';

/** Peers shown per group before "+N more". */
const SHOWN = 12;

function portsText(g: PeerGroup, all: number, mentioned: readonly PortProbe[]): string {
  if (g.allowed.length === all && all > 0) return 'every port';
  const allowed = g.allowed.map((p) => formatProbe(p, mentioned));
  const unknown = g.unknown.map((p) => `${formatProbe(p, mentioned)} (unknown)`);
  return [...allowed, ...unknown].join(', ');
}

export function Connections({
  title,
  list,
  view,
  mentioned,
  totalPods,
  direction,
}: {
  title: string;
  list: readonly PeerAccess[];
  view: PodView;
  mentioned: readonly PortProbe[];
  totalPods: number;
  direction: 'in' | 'out';
}) {
  const groups = groupByPorts(list, view.ports);
  return (
    <Section title={title} aside={plural(list.length, 'peer')} testId={`connections-${direction}`}>
      {groups.length === 0 ? (
        <p className="fine-print">
          Nothing {direction === 'in' ? 'can connect to this pod' : 'is reachable from this pod'}.
        </p>
      ) : (
        <ul className="port-groups">
          {groups.map((g) => {
            const everyone = g.pods.length >= totalPods - 1;
            const ports = portsText(g, view.ports.length, mentioned);
            return (
              <li key={ports} className="port-group" data-testid="port-group" data-peers={g.pods.length}>
                <div className="port-head">
                  <span className="port-name mono">{ports}</span>
                  <span className="muted">
                    {everyone ? 'every pod' : plural(g.pods.length, 'pod')}
                    {g.external.length > 0 &&
                      ` · ${plural(g.external.length, 'address class', 'address classes')}`}
                  </span>
                </div>
                {!everyone && g.pods.length > 0 && (
                  <div className="port-peers">
                    {g.pods.slice(0, SHOWN).map((p) => (
                      <span key={peerLabel(p.peer)} className="chip mono" data-testid="port-peer">
                        {peerLabel(p.peer)}
                      </span>
                    ))}
                    {g.pods.length > SHOWN && <span className="muted">+{g.pods.length - SHOWN} more</span>}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
