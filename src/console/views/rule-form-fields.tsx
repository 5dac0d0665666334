// The Add-rule form's field groups: direction, protocol, port range (or ICMP type/code), remote.
import { useState } from 'react';
import { groupLabels } from '../group-name.js';
import { anywhere, prefixMeaningHint } from '../ip-cidr.js';
import { listAddressGroups, myIp, type GroupRef } from '../neutron-client.js';
import { useResource } from '../use-resource.js';
import { FORM_PROTOCOLS } from '../../contract/index.js';
import type { RuleField, RuleIssue } from '../rule-check.js';
import { OTHER_PROTOCOL, portInputs, withEthertype, withMyIp, type PortMode, type RuleDraft } from '../rule-draft.js';
import { ErrorBanner } from '../ui/feedback.js';
import { FieldIssues } from '../ui/field-issues.js';

const MODES: { mode: PortMode; label: string }[] = [
  { mode: 'single', label: 'Single port' },
  { mode: 'range', label: 'Port range' },
  { mode: 'all', label: 'All ports' },
];

/** aria-invalid for an input whose value one of `fields`' issues is about. */
function invalid(issues: readonly RuleIssue[], fields: readonly RuleField[]): boolean {
  return issues.some((i) => fields.includes(i.field));
}

export function PortInputs(props: { draft: RuleDraft; set: (d: RuleDraft) => void; issues: readonly RuleIssue[] }) {
  const { draft, set, issues } = props;
  const kind = portInputs(draft);
  if (kind === 'none') {
    return (
      <fieldset>
        <legend>Port range</legend>
        <p className="hint">This protocol has no ports: the rule covers all of its traffic.</p>
        <FieldIssues issues={issues} fields={['portRangeMin']} id="port-min-error" />
      </fieldset>
    );
  }
  if (kind === 'icmp') {
    return (
      <fieldset>
        <legend>ICMP type and code</legend>
        <div className="row">
          <label>ICMP type<input inputMode="numeric" value={draft.icmpType} onChange={(e) => set({ ...draft, icmpType: e.target.value })} placeholder="All types" aria-describedby="port-min-error" aria-invalid={invalid(issues, ['portRangeMin'])} /></label>
          <label>ICMP code<input inputMode="numeric" value={draft.icmpCode} onChange={(e) => set({ ...draft, icmpCode: e.target.value })} placeholder="All codes" aria-describedby="port-max-error" aria-invalid={invalid(issues, ['portRangeMax'])} /></label>
        </div>
        <FieldIssues issues={issues} fields={['portRangeMin']} id="port-min-error" />
        <FieldIssues issues={issues} fields={['portRangeMax']} id="port-max-error" />
      </fieldset>
    );
  }
  return (
    <fieldset>
      <legend>Port range</legend>
      <div className="radios">
        {MODES.map((m) => (
          <label key={m.mode} className="check">
            <input type="radio" name="port-mode" checked={draft.portMode === m.mode} onChange={() => set({ ...draft, portMode: m.mode })} /> {m.label}
          </label>
        ))}
      </div>
      {draft.portMode === 'single' ? (
        <label>Port<input inputMode="numeric" value={draft.port} onChange={(e) => set({ ...draft, port: e.target.value })} placeholder="1–65535" aria-describedby="port-min-error port-max-error" aria-invalid={invalid(issues, ['portRangeMin', 'portRangeMax'])} /></label>
      ) : null}
      {draft.portMode === 'range' ? (
        <div className="row">
          <label>From port<input inputMode="numeric" value={draft.portMin} onChange={(e) => set({ ...draft, portMin: e.target.value })} aria-describedby="port-min-error" aria-invalid={invalid(issues, ['portRangeMin'])} /></label>
          <label>To port<input inputMode="numeric" value={draft.portMax} onChange={(e) => set({ ...draft, portMax: e.target.value })} aria-describedby="port-max-error" aria-invalid={invalid(issues, ['portRangeMax'])} /></label>
        </div>
      ) : null}
      <FieldIssues issues={issues} fields={draft.portMode === 'single' ? ['portRangeMin', 'portRangeMax'] : ['portRangeMin']} id="port-min-error" />
      {draft.portMode === 'single' ? null : <FieldIssues issues={issues} fields={['portRangeMax']} id="port-max-error" />}
    </fieldset>
  );
}

export function DirectionInputs(props: { draft: RuleDraft; set: (d: RuleDraft) => void }) {
  const { draft } = props;
  const setDraft = props.set;
  return (
      <fieldset>
        <legend>Direction</legend>
        <div className="radios">
          <label className="check"><input type="radio" name="direction" checked={draft.direction === 'ingress'} onChange={() => setDraft({ ...draft, direction: 'ingress' })} /> Ingress (into the instance)</label>
          <label className="check"><input type="radio" name="direction" checked={draft.direction === 'egress'} onChange={() => setDraft({ ...draft, direction: 'egress' })} /> Egress (out of the instance)</label>
        </div>
      </fieldset>
  );
}

export function ProtocolInputs(props: { draft: RuleDraft; set: (d: RuleDraft) => void; issues: readonly RuleIssue[] }) {
  const { draft, issues } = props;
  const setDraft = props.set;
  return (
    <div className="row">
        <label>
          IP protocol
          <select value={draft.protocol} onChange={(e) => setDraft({ ...draft, protocol: e.target.value })} aria-describedby="protocol-error" aria-invalid={invalid(issues, ['protocol'])}>
            <option value="">All protocols (any)</option>
            {FORM_PROTOCOLS.filter((p) => !p.ipv6Only || draft.ethertype === 'IPv6' || p.name === draft.protocol).map((p) => (
              <option key={p.name} value={p.name}>{p.label} ({p.number})</option>
            ))}
            <option value={OTHER_PROTOCOL}>Other: protocol number…</option>
          </select>
        </label>
        {draft.protocol === OTHER_PROTOCOL ? (
          <label>
            Protocol number
            <input inputMode="numeric" value={draft.protocolNumber} onChange={(e) => setDraft({ ...draft, protocolNumber: e.target.value })} placeholder="0–255" aria-describedby="protocol-number-hint protocol-error" aria-invalid={invalid(issues, ['protocol'])} />
            <span id="protocol-number-hint" className="hint">{draft.protocolNumber.trim() === '0' ? '0 means all protocols.' : 'IANA number, 0–255; 0 means all protocols.'}</span>
          </label>
        ) : null}
        <FieldIssues issues={issues} fields={['protocol']} id="protocol-error" />
      </div>
  );
}

export function RemoteInputs(props: { draft: RuleDraft; set: (d: RuleDraft) => void; groups: readonly GroupRef[]; issues: readonly RuleIssue[] }) {
  const { draft, set } = props;
  const [ipError, setIpError] = useState<unknown>(undefined);
  const fillMyIp = async () => {
    setIpError(undefined);
    try {
      set(withMyIp(draft, await myIp()));
    } catch (e) {
      setIpError(e);
    }
  };
  return (
    <fieldset>
      <legend>Remote</legend>
      <div className="radios">
        <label className="check"><input type="radio" name="remote-mode" checked={draft.remoteMode === 'cidr'} onChange={() => set({ ...draft, remoteMode: 'cidr' })} /> CIDR</label>
        <label className="check"><input type="radio" name="remote-mode" checked={draft.remoteMode === 'group'} onChange={() => set({ ...draft, remoteMode: 'group' })} /> Security group</label>
        <label className="check"><input type="radio" name="remote-mode" checked={draft.remoteMode === 'address-group'} onChange={() => set({ ...draft, remoteMode: 'address-group' })} /> Address group</label>
      </div>
      {draft.remoteMode === 'cidr' ? (
        <div className="row">
          <label>
            Remote CIDR
            <input value={draft.cidr} onChange={(e) => set({ ...draft, cidr: e.target.value })} placeholder="Empty = anywhere"
              aria-invalid={invalid(props.issues, ['remoteIpPrefix'])} aria-describedby="remote-cidr-error remote-cidr-hint" />
          </label>
          <span id="remote-cidr-hint" className="hint" aria-live="polite">{prefixMeaningHint(draft.cidr) ?? ''}</span>
          <button type="button" onClick={() => set({ ...draft, cidr: anywhere(draft.ethertype) })}>Anywhere</button>
          <button type="button" onClick={() => void fillMyIp()}>My IP</button>
          <FieldIssues issues={props.issues} fields={['remoteIpPrefix']} id="remote-cidr-error" />
        </div>
      ) : draft.remoteMode === 'address-group' ? (
        <AddressGroupSelect draft={draft} set={set} issues={props.issues} />
      ) : (
        <label>
          Remote security group
          <select value={draft.remoteGroupId} onChange={(e) => set({ ...draft, remoteGroupId: e.target.value })} aria-describedby="remote-group-error" aria-invalid={invalid(props.issues, ['remoteGroup'])}>
            <option value="">Choose a group…</option>
            {[...groupLabels(props.groups)].map(([id, label]) => <option key={id} value={id}>{label}</option>)}
          </select>
          <FieldIssues issues={props.issues} fields={['remoteGroup']} id="remote-group-error" />
        </label>
      )}
      <ErrorBanner error={ipError} />
    </fieldset>
  );
}

/** The address groups the project sees, loaded when this remote is chosen; each shows its addresses. */
function AddressGroupSelect(props: { draft: RuleDraft; set: (d: RuleDraft) => void; issues: readonly RuleIssue[] }) {
  const groups = useResource(listAddressGroups);
  return (
    <label>
      Remote address group
      <select value={props.draft.remoteAddressGroupId} onChange={(e) => props.set({ ...props.draft, remoteAddressGroupId: e.target.value })}
        aria-describedby="remote-group-error" aria-invalid={invalid(props.issues, ['remoteGroup'])}>
        <option value="">{groups.loading && !groups.data ? 'Loading address groups…' : 'Choose an address group…'}</option>
        {(groups.data ?? []).map((g) => <option key={g.id} value={g.id}>{`${g.name || g.id} (${g.addresses.join(', ') || 'no addresses'})`}</option>)}
      </select>
      <FieldIssues issues={props.issues} fields={['remoteGroup']} id="remote-group-error" />
      <ErrorBanner error={groups.error} title="Could not load address groups:" />
    </label>
  );
}

export function EtherTypeInput(props: { draft: RuleDraft; set: (d: RuleDraft) => void }) {
  return (
    <label>
      Ether Type
      <select value={props.draft.ethertype} onChange={(e) => props.set(withEthertype(props.draft, e.target.value === 'IPv6' ? 'IPv6' : 'IPv4'))}>
        <option value="IPv4">IPv4</option><option value="IPv6">IPv6</option>
      </select>
    </label>
  );
}
