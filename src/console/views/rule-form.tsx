// "Add rule": the seed's fields (Direction, Ether Type, IP protocol, Port range, Remote, Description), templates and shortcuts.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { createRule, type GroupRef } from '../neutron-client.js';
import type { RuleIssue } from '../rule-check.js';
import { applyTemplate, checkDraft, EMPTY_DRAFT, type RuleDraft } from '../rule-draft.js';
import { ruleSummary } from '../rule-format.js';
import { findTemplate, RULE_TEMPLATES } from '../../contract/index.js';
import { ErrorBanner, Notice } from '../ui/feedback.js';
import { FieldIssues } from '../ui/field-issues.js';
import { DirectionInputs, EtherTypeInput, PortInputs, ProtocolInputs, RemoteInputs } from './rule-form-fields.js';
import { groupNamer } from './rules-section.js';

function groupResolver(groups: readonly GroupRef[]) {
  return (v: string) => (groups.some((g) => g.id === v) ? { id: v } : { error: 'Choose a security group for the remote.' });
}

function TemplatePicker(props: { value: string; onChange: (id: string) => void }) {
  return (
    <label>
      Template
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">Custom rule</option>
        {RULE_TEMPLATES.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
      </select>
    </label>
  );
}

export function RuleForm(props: { group: SecurityGroupWire; groups: readonly GroupRef[]; onAdded: () => void }) {
  const [draft, setDraft] = useState<RuleDraft>(EMPTY_DRAFT);
  const [template, setTemplate] = useState('');
  const [issues, setIssues] = useState<RuleIssue[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Counts refused submits: each one moves focus to the first field marked invalid, once it is rendered. */
  const [refused, setRefused] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (refused > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refused]);
  const name = groupNamer(props.groups);
  const check = checkDraft(draft, { securityGroupId: props.group.id, resolveGroup: groupResolver(props.groups) });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    setError(undefined);
    if (!check.ok) {
      setIssues(check.issues);
      return setRefused((n) => n + 1);
    }
    setIssues([]);
    setBusy(true);
    try {
      const rule = await createRule(check.body);
      setAdded(ruleSummary(rule, name));
      setDraft({ ...EMPTY_DRAFT, direction: draft.direction, ethertype: draft.ethertype, remoteMode: draft.remoteMode, cidr: draft.cidr, remoteGroupId: draft.remoteGroupId, remoteAddressGroupId: draft.remoteAddressGroupId });
      setTemplate('');
      props.onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const chooseTemplate = (id: string) => {
    setTemplate(id);
    const t = findTemplate(id);
    if (t) setDraft(applyTemplate(draft, t));
  };
  return (
    <form ref={formRef} className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="add-rule-title" noValidate>
      <h2 id="add-rule-title">Add rule</h2>
      <TemplatePicker value={template} onChange={chooseTemplate} />
      <DirectionInputs draft={draft} set={setDraft} />
      <EtherTypeInput draft={draft} set={setDraft} />
      <ProtocolInputs draft={draft} set={(d) => { setTemplate(''); setDraft(d); }} issues={issues} />
      <PortInputs draft={draft} set={(d) => { setTemplate(''); setDraft(d); }} issues={issues} />
      <RemoteInputs draft={draft} set={setDraft} groups={props.groups} issues={issues} />
      <label>
        Description
        <input value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} maxLength={255} aria-describedby="description-error"
          aria-invalid={issues.some((i) => i.field === 'description')} />
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
