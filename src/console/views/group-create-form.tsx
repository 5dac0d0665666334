// Create a security group: name, description, stateful (neutron-api.md §4.1).
import { useState, type FormEvent } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { createGroup } from '../neutron-client.js';
import { ErrorBanner } from '../ui/feedback.js';

const EMPTY = { name: '', description: '', stateful: true };

export function GroupCreateForm(props: { onCreated: (group: SecurityGroupWire) => void }) {
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const group = await createGroup({ name: form.name.trim(), description: form.description, stateful: form.stateful });
      setForm(EMPTY);
      props.onCreated(group);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="create-group-title">
      <h2 id="create-group-title">Create security group</h2>
      <label>
        Name
        <input name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required maxLength={255} />
      </label>
      <label>
        Description
        <input name="description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} maxLength={255} />
      </label>
      <label className="check">
        <input type="checkbox" name="stateful" checked={form.stateful} onChange={(e) => setForm({ ...form, stateful: e.target.checked })} />
        Stateful (replies to allowed traffic pass automatically)
      </label>
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Creating…' : 'Create group'}</button>
      </div>
    </form>
  );
}
