// Rename a group, change its description or statefulness (PUT /v2.0/security-groups/{id}); the default group keeps its name.
import { useState, type FormEvent } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { groupNameProblem } from '../group-name.js';
import { updateGroup, type GroupAttrs } from '../neutron-client.js';
import { ErrorBanner } from '../ui/feedback.js';

export function GroupEditForm(props: { group: SecurityGroupWire; isDefault: boolean; onDone: (changed: boolean) => void }) {
  const { group } = props;
  const [form, setForm] = useState({ name: group.name, description: group.description, stateful: group.stateful });
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = props.isDefault ? null : groupNameProblem(form.name);
    if (problem) return setError(new Error(problem));
    const attrs: GroupAttrs = {};
    if (!props.isDefault && form.name !== group.name) attrs.name = form.name.trim();
    if (form.description !== group.description) attrs.description = form.description;
    if (form.stateful !== group.stateful) attrs.stateful = form.stateful;
    if (Object.keys(attrs).length === 0) return props.onDone(false);
    setBusy(true);
    setError(undefined);
    try {
      await updateGroup(group.id, attrs);
      props.onDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="edit-group-title">
      <h2 id="edit-group-title">Edit group</h2>
      <label>
        Name
        <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} disabled={props.isDefault} required maxLength={255}
          aria-describedby={props.isDefault ? 'default-name-note' : undefined} />
      </label>
      {props.isDefault ? <p id="default-name-note" className="hint">The default group cannot be renamed.</p> : null}
      <label>
        Description
        <input value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} maxLength={255} />
      </label>
      <label className="check">
        <input type="checkbox" checked={form.stateful} onChange={(e) => setForm({ ...form, stateful: e.target.checked })} />
        Stateful (can change only while no instance uses the group)
      </label>
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="button" onClick={() => props.onDone(false)}>Cancel</button>
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
      </div>
    </form>
  );
}
