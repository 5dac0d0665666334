// Create a security group: name, description, stateful (neutron-api.md §4.1); a blank or repeated name is caught first.
import { useRef, useState, type FormEvent } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { duplicateNameWarning, groupNameProblem } from '../group-name.js';
import { countGroupsNamed, createGroup } from '../neutron-client.js';
import { ErrorBanner } from '../ui/feedback.js';

const EMPTY = { name: '', description: '', stateful: true };

export function GroupCreateForm(props: { onCreated: (group: SecurityGroupWire) => void }) {
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<unknown>(undefined);
  const [nameError, setNameError] = useState<string | null>(null);
  /** The name the duplicate warning was shown for: a second submit with it creates the group anyway. */
  const [warnedFor, setWarnedFor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = form.name.trim();
    const problem = groupNameProblem(form.name);
    setError(undefined);
    if (problem) {
      setNameError(problem);
      return nameInput.current?.focus();
    }
    setBusy(true);
    try {
      if (warnedFor !== name) {
        const warning = duplicateNameWarning(name, await countGroupsNamed(name));
        if (warning) {
          setWarnedFor(name);
          setNameError(warning);
          return nameInput.current?.focus();
        }
      }
      const group = await createGroup({ name, description: form.description, stateful: form.stateful });
      setForm(EMPTY);
      setNameError(null);
      setWarnedFor(null);
      props.onCreated(group);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="create-group-title" noValidate>
      <h2 id="create-group-title">Create security group</h2>
      <label>
        Name
        <input ref={nameInput} name="name" value={form.name} onChange={(e) => { setForm({ ...form, name: e.target.value }); setNameError(null); }} required maxLength={255}
          aria-invalid={nameError !== null && warnedFor === null} aria-describedby="group-name-error" />
        <span id="group-name-error" className="field-error">{nameError ?? ''}</span>
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
