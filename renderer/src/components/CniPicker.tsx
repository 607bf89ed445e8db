/**
 * The CNI the analysis assumes for the current source, in the header: what the source detected (a
 * live cluster's API groups), or what the user chose (remembered per source). The choice decides what
 * the NetworkPolicy spec leaves open (shared/eval/cni.ts); the analysis is redone under it.
 */
import type { ReactElement } from 'react';
import { CNI_DESCRIPTIONS, CNI_LABELS, cniLabel } from '../../../shared/eval/cni.ts';
import type { CniProfile } from '../../../shared/model/snapshot.ts';
import { useSource, useView } from '../store/context.tsx';

/** Every profile the picker offers, by a value a <select> can hold, with a short name for the header. */
const CHOICES: readonly (readonly [string, CniProfile, string])[] = [
  ['upstream', { cni: 'upstream' }, 'K8s tests'],
  ['generic', { cni: 'generic' }, 'generic'],
  ['calico', { cni: 'calico' }, 'Calico'],
  ['cilium', { cni: 'cilium' }, 'Cilium'],
  ['cilium:pods', { cni: 'cilium', ciliumCidrMatch: ['pods'] }, 'Cilium +pods'],
  ['cilium:nodes', { cni: 'cilium', ciliumCidrMatch: ['nodes'] }, 'Cilium +nodes'],
  ['cilium:nodes,pods', { cni: 'cilium', ciliumCidrMatch: ['nodes', 'pods'] }, 'Cilium +nodes,pods'],
  ['antrea', { cni: 'antrea' }, 'Antrea'],
  ['ovn-kubernetes', { cni: 'ovn-kubernetes' }, 'OVN-K'],
];

const AUTO = 'auto';

function valueOf(p: CniProfile): string {
  const modes = p.cni === 'cilium' ? [...(p.ciliumCidrMatch ?? [])].sort() : [];
  return modes.length > 0 ? `${p.cni}:${modes.join(',')}` : p.cni;
}

export function CniPicker(): ReactElement {
  const snapshot = useSource((s) => s.snapshot);
  const chosen = useView((s) => s.cni);
  const setCni = useView((s) => s.setCni);
  const detected = snapshot?.cni;
  const effective: CniProfile = chosen ?? detected ?? { cni: 'upstream' };
  const detectedShort = detected ? CHOICES.find(([v]) => v === valueOf(detected))?.[2] : undefined;
  const auto = `CNI: ${detectedShort ?? 'auto'}${detectedShort ? ' (detected)' : ''}`;
  const title =
    `CNI: ${cniLabel(effective)}${chosen ? ' (chosen)' : detected ? ' (detected from the API groups)' : ' (default)'}. ` +
    `${CNI_DESCRIPTIONS[effective.cni]}.`;
  return (
    <select
      className="ed-select cni-picker"
      data-testid="cni-picker"
      title={title}
      aria-label={`The cluster's CNI, which decides what the NetworkPolicy spec leaves open. ${title}`}
      disabled={snapshot === undefined}
      value={chosen ? valueOf(chosen) : AUTO}
      onChange={(e) => {
        const picked = CHOICES.find(([v]) => v === e.target.value)?.[1];
        setCni(picked ? { ...picked, origin: 'chosen' } : undefined);
      }}
    >
      <option value={AUTO} title={detected ? cniLabel(detected) : CNI_LABELS.upstream}>
        {auto}
      </option>
      {CHOICES.map(([value, profile, short]) => (
        <option key={value} value={value} title={CNI_DESCRIPTIONS[profile.cni]}>
          {`CNI: ${short}`}
        </option>
      ))}
    </select>
  );
}
