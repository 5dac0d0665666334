// Default rules: the templates new security groups start with; admins add and delete them (neutron-api.md §3.4, §4.4).
import { useState, type FormEvent } from 'react';
import type { DefaultSecurityGroupRuleWire } from '../../contract/index.js';
import { getCredentials } from '../auth.js';
import { createDefaultRule, deleteDefaultRule, listDefaultRules } from '../default-rules-client.js';
import { EMPTY_TEMPLATE_DRAFT, templateBody, templateUse, type TemplateDraft } from '../default-rule-draft.js';
import { directionLabel, portLabel, protocolLabel, remoteLabel } from '../rule-format.js';
import { useResource } from '../use-resource.js';
import { ConfirmDialog, type ConfirmRequest } from '../ui/confirm-dialog.js';
import { Empty, ErrorBanner, Loading, Notice } from '../ui/feedback.js';

/** `PARENT` reads as what it means; other remotes as in a group's rules. */
const remoteOf = (t: DefaultSecurityGroupRuleWire) => (t.remote_group_id === 'PARENT' ? 'The new group itself' : remoteLabel(t, () => undefined));

function TemplateForm(props: { onCreated: () => void }) {
  const [draft, setDraft] = useState<TemplateDraft>(EMPTY_TEMPLATE_DRAFT);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<TemplateDraft>) => setDraft({ ...draft, ...change });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      const made = await createDefaultRule(templateBody(draft));
      setDone(`Added: ${directionLabel(made.direction)} ${made.ethertype} ${protocolLabel(made.protocol)}, for ${templateUse(made).toLowerCase()}.`);
      setDraft(EMPTY_TEMPLATE_DRAFT);
      props.onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="add-default-rule-title">
      <h2 id="add-default-rule-title">Add default rule</h2>
      <label>Direction
        <select value={draft.direction} onChange={(e) => set({ direction: e.target.value === 'egress' ? 'egress' : 'ingress' })}>
          <option value="ingress">Ingress</option><option value="egress">Egress</option>
        </select>
      </label>
      <label>Ether type
        <select value={draft.ethertype} onChange={(e) => set({ ethertype: e.target.value === 'IPv6' ? 'IPv6' : 'IPv4' })}>
          <option value="IPv4">IPv4</option><option value="IPv6">IPv6</option>
        </select>
      </label>
      <label>Protocol (blank for all)<input value={draft.protocol} onChange={(e) => set({ protocol: e.target.value })} placeholder="tcp" /></label>
      <label>Port from<input value={draft.portMin} onChange={(e) => set({ portMin: e.target.value })} inputMode="numeric" /></label>
      <label>Port to<input value={draft.portMax} onChange={(e) => set({ portMax: e.target.value })} inputMode="numeric" /></label>
      <label>Remote
        <select value={draft.remote} onChange={(e) => set({ remote: e.target.value as TemplateDraft['remote'] })}>
          <option value="anywhere">Anywhere</option><option value="cidr">CIDR</option><option value="itself">The new group itself</option>
        </select>
      </label>
      {draft.remote === 'cidr' ? <label>CIDR<input value={draft.cidr} onChange={(e) => set({ cidr: e.target.value })} required /></label> : null}
      <label><input type="checkbox" checked={draft.usedInDefaultSg} onChange={(e) => set({ usedInDefaultSg: e.target.checked })} /> In each project's default group</label>
      <label><input type="checkbox" checked={draft.usedInNonDefaultSg} onChange={(e) => set({ usedInNonDefaultSg: e.target.checked })} /> In every other new group</label>
      <label>Description<input value={draft.description} onChange={(e) => set({ description: e.target.value })} maxLength={255} /></label>
      <ErrorBanner error={error} title="Not added:" />
      {done ? <Notice>{done}</Notice> : null}
      <div className="actions"><button type="submit" className="primary" disabled={busy}>{busy ? 'Adding…' : 'Add default rule'}</button></div>
    </form>
  );
}

function TemplateTable(props: { templates: readonly DefaultSecurityGroupRuleWire[]; admin: boolean; onDelete: (t: DefaultSecurityGroupRuleWire) => void }) {
  return (
    <div className="table-wrap">
      <table aria-label="Default rules">
        <thead>
          <tr>
            <th scope="col">Direction</th><th scope="col">Ether type</th><th scope="col">Protocol</th><th scope="col">Ports</th>
            <th scope="col">Remote</th><th scope="col">Used in</th><th scope="col">Description</th>
            {props.admin ? <th scope="col"><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {props.templates.map((t) => (
            <tr key={t.id}>
              <td>{directionLabel(t.direction)}</td><td>{t.ethertype}</td><td>{protocolLabel(t.protocol)}</td><td>{portLabel(t)}</td>
              <td>{remoteOf(t)}</td><td>{templateUse(t)}</td><td>{t.description}</td>
              {props.admin ? (
                <td><button type="button" onClick={() => props.onDelete(t)} aria-label={`Delete default rule ${t.direction} ${t.ethertype} ${protocolLabel(t.protocol)} ${remoteOf(t)}`}>Delete</button></td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DefaultRulesPage() {
  const data = useResource(listDefaultRules);
  const admin = getCredentials().role === 'admin';
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const askDelete = (t: DefaultSecurityGroupRuleWire) => setRequest({
    title: 'Delete default rule?',
    body: <p>Groups created from now on will not get this rule. Groups that have it keep it.</p>,
    confirmLabel: 'Delete',
    action: async () => {
      await deleteDefaultRule(t.id);
      data.reload();
    },
  });
  return (
    <section aria-labelledby="default-rules-title">
      <h1 id="default-rules-title">Default rules</h1>
      <p className="lead">
        The rules a new security group starts with. A change applies to groups created afterwards; existing groups keep their rules.
      </p>
      {admin ? null : <p className="muted">Only an admin can change the default rules.</p>}
      <ErrorBanner error={data.error} title="Could not load the default rules:" />
      {data.loading && !data.data ? <Loading what="default rules" /> : null}
      {data.data && data.data.length === 0 ? <Empty>No default rules: new groups start with no rules, so they allow nothing.</Empty> : null}
      {data.data && data.data.length > 0 ? <TemplateTable templates={data.data} admin={admin} onDelete={askDelete} /> : null}
      {admin ? <TemplateForm onCreated={data.reload} /> : null}
      <ConfirmDialog request={request} onClose={() => setRequest(null)} />
    </section>
  );
}
