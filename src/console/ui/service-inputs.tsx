// Protocol and port (or ICMP type/code) inputs for a flow check or reachability question.
import { FORM_PROTOCOLS, protocolMeaning } from '../../contract/index.js';
import type { ServiceText } from '../service-input.js';

/** The protocols a flow question offers first; any other is typed. */
const CHOICES = FORM_PROTOCOLS.filter((p) => ['tcp', 'udp', 'icmp', 'ipv6-icmp', 'sctp'].includes(p.name)).map((p) => ({ value: p.name, label: p.label }));

export const EMPTY_SERVICE: ServiceText = { protocol: 'tcp', port: '', icmpType: '', icmpCode: '' };

export function ServiceInputs(props: { value: ServiceText; onChange: (s: ServiceText) => void; idPrefix: string }) {
  const { value, onChange } = props;
  const listed = CHOICES.some((c) => c.value === value.protocol);
  const meaning = protocolMeaning(value.protocol);
  return (
    <div className="row">
      <label>
        Protocol
        <select value={listed ? value.protocol : 'other'} onChange={(e) => onChange({ ...value, protocol: e.target.value === 'other' ? '' : e.target.value })}>
          {CHOICES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          <option value="other">Other (number or name)…</option>
        </select>
      </label>
      {!listed ? (
        <label>Protocol number or name<input id={`${props.idPrefix}-proto`} value={value.protocol} onChange={(e) => onChange({ ...value, protocol: e.target.value })} placeholder="e.g. 47 or gre" /></label>
      ) : null}
      {meaning.hasIcmpTypeCode ? (
        <>
          <label>ICMP type<input inputMode="numeric" value={value.icmpType} onChange={(e) => onChange({ ...value, icmpType: e.target.value })} placeholder="e.g. 8 (echo)" /></label>
          <label>ICMP code<input inputMode="numeric" value={value.icmpCode} onChange={(e) => onChange({ ...value, icmpCode: e.target.value })} placeholder="e.g. 0" /></label>
        </>
      ) : meaning.hasPorts || !listed ? (
        <label>Destination port<input inputMode="numeric" value={value.port} onChange={(e) => onChange({ ...value, port: e.target.value })} placeholder="e.g. 22" /></label>
      ) : null}
    </div>
  );
}
