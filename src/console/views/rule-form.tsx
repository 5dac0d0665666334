// "Add rule": the seed's fields (Direction, Ether Type, IP protocol, Port range, Remote, Description), templates and shortcuts.
import { useState, type FormEvent } from 'react';
import type { SecurityGroupWire } from '../../api/wire/neutron-wire.js';
import { anywhere } from '../ip-cidr.js';
import { createRule, myIp } from '../neutron-client.js';
import { PROTOCOL_OPTIONS } from '../protocols.js';
import { checkRule, type RuleIssue } from '../rule-check.js';
import { applyTemplate, draftToFields, EMPTY_DRAFT, OTHER_PROTOCOL, withEthertype, withMyIp, type RuleDraft } from '../rule-draft.js';
import { ruleSummary } from '../rule-format.js';
import { findTemplate, RULE_TEMPLATES } from '../rule-templates.js';
import { ErrorBanner, Notice } from '../ui/feedback.js';
import { FieldIssues } from '../ui/field-issues.js';
import { PortInputs } from './rule-port-inputs.js';
import { groupNamer } from './rules-section.js';

function groupResolver(groups: readonly SecurityGroupWire[]) {
  return (v: string) => (groups.some((g) => g.id === v) ? { id: v } : { error: 'Choose a security group for the remote.' });
}

function RemoteInputs(props: { draft: RuleDraft; set: (d: RuleDraft) => void; groups: readonly SecurityGroupWire[]; issues: readonly RuleIssue[] }) {
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
      </div>
      {draft.remoteMode === 'cidr' ? (
        <div className="row">
          <label>
            Remote CIDR
            <input value={draft.cidr} onChange={(e) => set({ ...draft, cidr: e.target.value })} placeholder="Empty = anywhere"
              aria-invalid={props.issues.some((i) => i.field === 'remoteIpPrefix')} aria-describedby="remote-cidr-error" />
          </label>
          <button type="button" onClick={() => set({ ...draft, cidr: anywhere(draft.ethertype) })}>Anywhere</button>
          <button type="button" onClick={() => void fillMyIp()}>My IP</button>
          <FieldIssues issues={props.issues} fields={['remoteIpPrefix']} id="remote-cidr-error" />
        </div>
      ) : (
        <label>
          Remote security group
          <select value={draft.remoteGroupId} onChange={(e) => set({ ...draft, remoteGroupId: e.target.value })} aria-describedby="remote-group-error">
            <option value="">Choose a group…</option>
            {props.groups.map((g) => <option key={g.id} value={g.id}>{g.name || g.id}</option>)}
          </select>
          <FieldIssues issues={props.issues} fields={['remoteGroup']} id="remote-group-error" />
        </label>
      )}
      <ErrorBanner error={ipError} />
    </fieldset>
  );
}

export function RuleForm(props: { group: SecurityGroupWire; groups: readonly SecurityGroupWire[]; onAdded: () => void }) {
  const [draft, setDraft] = useState<RuleDraft>(EMPTY_DRAFT);
  const [template, setTemplate] = useState('');
  const [issues, setIssues] = useState<RuleIssue[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = groupNamer(props.groups);
  const check = checkRule(draftToFields(draft), { securityGroupId: props.group.id, resolveGroup: groupResolver(props.groups) });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    setError(undefined);
    if (!check.ok) return setIssues(check.issues);
    setIssues([]);
    setBusy(true);
    try {
      const rule = await createRule(check.body);
      setAdded(ruleSummary(rule, name));
      setDraft({ ...EMPTY_DRAFT, direction: draft.direction, ethertype: draft.ethertype, remoteMode: draft.remoteMode, cidr: draft.cidr, remoteGroupId: draft.remoteGroupId });
      setTemplate('');
      props.onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const useTemplate = (id: string) => {
    setTemplate(id);
    const t = findTemplate(id);
    if (t) setDraft(applyTemplate(draft, t));
  };
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="add-rule-title" noValidate>
      <h2 id="add-rule-title">Add rule</h2>
      <label>
        Template
        <select value={template} onChange={(e) => useTemplate(e.target.value)}>
          <option value="">Custom rule</option>
          {RULE_TEMPLATES.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
        </select>
      </label>
      <fieldset>
        <legend>Direction</legend>
        <div className="radios">
          <label className="check"><input type="radio" name="direction" checked={draft.direction === 'ingress'} onChange={() => setDraft({ ...draft, direction: 'ingress' })} /> Ingress (into the instance)</label>
          <label className="check"><input type="radio" name="direction" checked={draft.direction === 'egress'} onChange={() => setDraft({ ...draft, direction: 'egress' })} /> Egress (out of the instance)</label>
        </div>
      </fieldset>
      <label>
        Ether Type
        <select value={draft.ethertype} onChange={(e) => setDraft(withEthertype(draft, e.target.value === 'IPv6' ? 'IPv6' : 'IPv4'))}>
          <option value="IPv4">IPv4</option><option value="IPv6">IPv6</option>
        </select>
      </label>
      <div className="row">
        <label>
          IP protocol
          <select value={draft.protocol} onChange={(e) => { setTemplate(''); setDraft({ ...draft, protocol: e.target.value }); }} aria-describedby="protocol-error">
            <option value="">All protocols (any)</option>
            {PROTOCOL_OPTIONS.filter((p) => !p.ipv6Only || draft.ethertype === 'IPv6' || p.name === draft.protocol).map((p) => (
              <option key={p.name} value={p.name}>{p.label} ({p.number})</option>
            ))}
            <option value={OTHER_PROTOCOL}>Other: protocol number…</option>
          </select>
        </label>
        {draft.protocol === OTHER_PROTOCOL ? (
          <label>
            Protocol number
            <input inputMode="numeric" value={draft.protocolNumber} onChange={(e) => setDraft({ ...draft, protocolNumber: e.target.value })} placeholder="0–255" aria-describedby="protocol-number-hint protocol-error" />
            <span id="protocol-number-hint" className="hint">{draft.protocolNumber.trim() === '0' ? '0 means all protocols.' : 'IANA number, 0–255; 0 means all protocols.'}</span>
          </label>
        ) : null}
        <FieldIssues issues={issues} fields={['protocol']} id="protocol-error" />
      </div>
      <PortInputs draft={draft} set={(d) => { setTemplate(''); setDraft(d); }} issues={issues} />
      <RemoteInputs draft={draft} set={setDraft} groups={props.groups} issues={issues} />
      <label>
        Description
        <input value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} maxLength={255} aria-describedby="description-error" />
        <FieldIssues issues={issues} fields={['description']} id="description-error" />
      </label>
      <p className="preview" aria-live="polite">{check.ok ? <>Adds: <strong>{ruleSummary(check.body, name)}</strong></> : 'Fill in the rule to see what it allows.'}</p>
      <ErrorBanner error={error} title="The rule was not added:" />
      {added ? <Notice>Added: {added}</Notice> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Adding…' : 'Add rule'}</button>
      </div>
    </form>
  );
}
