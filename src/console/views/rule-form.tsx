// "Add rule": the seed's fields (Direction, Ether Type, IP protocol, Port range, Remote, Description), templates and shortcuts;
// what-if first, and a confirm step when the rule changes what some port reaches.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { createRule, type GroupRef } from '../neutron-client.js';
import type { RuleIssue } from '../rule-check.js';
import { applyTemplate, checkDraft, EMPTY_DRAFT, type RuleDraft } from '../rule-draft.js';
import { expiryOf, type ExpiryChoice } from '../history-words.js';
import type { RuleBody } from '../rule-check.js';
import { ruleSummary } from '../rule-format.js';
import { findTemplate, RULE_TEMPLATES } from '../../contract/index.js';
import { ConfirmDialog, type ConfirmRequest } from '../ui/confirm-dialog.js';
import { ErrorBanner, Notice } from '../ui/feedback.js';
import { FieldIssues } from '../ui/field-issues.js';
import { DirectionInputs, EtherTypeInput, PortInputs, ProtocolInputs, RemoteInputs } from './rule-form-fields.js';
import { groupNamer } from './rules-section.js';
import { previewChanges, WhatIfSummary } from './what-if-preview.js';

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
  /** The what-if's confirm step, when the new rule changes what some port reaches. */
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const [expiry, setExpiry] = useState<{ choice: ExpiryChoice; until: string }>({ choice: 'never', until: '' });
  const [expiryError, setExpiryError] = useState<string | null>(null);
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
    const ends = expiryOf(expiry.choice, expiry.until, Date.now());
    if (!check.ok || 'error' in ends) {
      setIssues(check.ok ? [] : check.issues);
      setExpiryError('error' in ends ? ends.error : null);
      return setRefused((n) => n + 1);
    }
    setIssues([]);
    setExpiryError(null);
    setBusy(true);
    const body: RuleBody & { expires_at?: string } = { ...check.body, ...(ends.expiresAt !== null && { expires_at: ends.expiresAt }) };
    try {
      // expires_at changes nothing the engine decides now, so what-if gets the rule without it.
      const preview = await previewChanges([{ action: 'create', resource: 'security_group_rule', object: { ...check.body } }]);
      if (!preview.needsConfirm) return await save(body);
      setRequest({
        title: 'Save this rule?',
        body: <><p>Adds: <strong>{ruleSummary(check.body, name)}</strong></p><WhatIfSummary preview={preview} /></>,
        confirmLabel: 'Save anyway',
        action: () => save(body),
      });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const save = async (body: RuleBody & { expires_at?: string }) => {
    const rule = await createRule(body);
    setAdded(ruleSummary(rule, name));
    setDraft((d) => ({ ...EMPTY_DRAFT, direction: d.direction, ethertype: d.ethertype, remoteMode: d.remoteMode, cidr: d.cidr, remoteGroupId: d.remoteGroupId, remoteAddressGroupId: d.remoteAddressGroupId }));
    setTemplate('');
    props.onAdded();
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
      <ExpiryInputs value={expiry} onChange={setExpiry} error={expiryError} />
      <p className="preview" aria-live="polite">{check.ok ? <>Adds: <strong>{ruleSummary(check.body, name)}</strong></> : 'Fill in the rule to see what it allows.'}</p>
      <ErrorBanner error={error} title="The rule was not added:" />
      {added ? <Notice>Added: {added}</Notice> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Adding…' : 'Add rule'}</button>
      </div>
      <ConfirmDialog request={request} onClose={() => setRequest(null)} />
    </form>
  );
}

/** "Expires": never, in an hour, in a day, or at a chosen local date and time (Palisade's expires_at). */
function ExpiryInputs(props: { value: { choice: ExpiryChoice; until: string }; onChange: (v: { choice: ExpiryChoice; until: string }) => void; error: string | null }) {
  const { value, onChange } = props;
  return (
    <fieldset className="expiry">
      <legend>Expires</legend>
      {([['never', 'Never'], ['1h', 'For 1 hour'], ['1d', 'For 1 day'], ['until', 'Until…']] as const).map(([choice, label]) => (
        <label key={choice} className="inline">
          <input type="radio" name="expiry" value={choice} checked={value.choice === choice} onChange={() => onChange({ ...value, choice })} /> {label}
        </label>
      ))}
      {value.choice === 'until' ? (
        <label>
          Ends at (local time)
          <input type="datetime-local" value={value.until} onChange={(e) => onChange({ ...value, until: e.target.value })} aria-describedby="expires_at-error"
            aria-invalid={props.error !== null} />
        </label>
      ) : null}
      {props.error ? <p className="field-error" id="expires_at-error" role="alert">{props.error}</p> : null}
    </fieldset>
  );
}
