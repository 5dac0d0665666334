// The Port range part of the rule form: single port, range or all for TCP-like protocols; ICMP type/code for ICMP.
import type { RuleIssue } from '../rule-check.js';
import { portInputs, type PortMode, type RuleDraft } from '../rule-draft.js';
import { FieldIssues } from '../ui/field-issues.js';

const MODES: { mode: PortMode; label: string }[] = [
  { mode: 'single', label: 'Single port' },
  { mode: 'range', label: 'Port range' },
  { mode: 'all', label: 'All ports' },
];

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
          <label>ICMP type<input inputMode="numeric" value={draft.icmpType} onChange={(e) => set({ ...draft, icmpType: e.target.value })} placeholder="All types" aria-describedby="port-min-error" /></label>
          <label>ICMP code<input inputMode="numeric" value={draft.icmpCode} onChange={(e) => set({ ...draft, icmpCode: e.target.value })} placeholder="All codes" aria-describedby="port-max-error" /></label>
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
        <label>Port<input inputMode="numeric" value={draft.port} onChange={(e) => set({ ...draft, port: e.target.value })} placeholder="1–65535" aria-describedby="port-min-error port-max-error" /></label>
      ) : null}
      {draft.portMode === 'range' ? (
        <div className="row">
          <label>From port<input inputMode="numeric" value={draft.portMin} onChange={(e) => set({ ...draft, portMin: e.target.value })} aria-describedby="port-min-error" /></label>
          <label>To port<input inputMode="numeric" value={draft.portMax} onChange={(e) => set({ ...draft, portMax: e.target.value })} aria-describedby="port-max-error" /></label>
        </div>
      ) : null}
      <FieldIssues issues={issues} fields={draft.portMode === 'single' ? ['portRangeMin', 'portRangeMax'] : ['portRangeMin']} id="port-min-error" />
      {draft.portMode === 'single' ? null : <FieldIssues issues={issues} fields={['portRangeMax']} id="port-max-error" />}
    </fieldset>
  );
}
