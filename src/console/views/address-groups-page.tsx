// Address groups: named CIDRs a rule may name as its remote; create, add and remove addresses, delete.
import { useState, type FormEvent } from 'react';
import type { AddressGroupWire } from '../../contract/index.js';
import { parseAddressInput } from '../address-list.js';
import { changeAddresses, createAddressGroup, deleteAddressGroup, listAddressGroups } from '../neutron-client.js';
import { pageOf } from '../pagination.js';
import { useResource } from '../use-resource.js';
import { ConfirmDialog, type ConfirmRequest } from '../ui/confirm-dialog.js';
import { Empty, ErrorBanner, Loading, Notice } from '../ui/feedback.js';
import { Pager } from '../ui/pager.js';

/** Runs one change of the page, showing its outcome; returns whether it worked. */
function useAction() {
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<string>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      setDone(await work());
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, done, busy, run, refuse: (message: string) => setError(new Error(message)) };
}

function CreateForm(props: { onCreated: () => void }) {
  const [form, setForm] = useState({ name: '', description: '', addresses: '' });
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseAddressInput(form.addresses);
    if ('problem' in parsed) return action.refuse(parsed.problem);
    const ok = await action.run(async () => {
      const g = await createAddressGroup(form.name.trim(), form.description.trim(), parsed.addresses);
      return `Created address group ${g.name} with ${g.addresses.length} address(es).`;
    });
    if (ok) {
      setForm({ name: '', description: '', addresses: '' });
      props.onCreated();
    }
  };
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="create-ag-title">
      <h2 id="create-ag-title">Create address group</h2>
      <label>Name<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required maxLength={255} /></label>
      <label>Description<input value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} maxLength={1024} /></label>
      <label>
        Addresses
        <textarea value={form.addresses} onChange={(e) => setForm({ ...form, addresses: e.target.value })} rows={3} placeholder="10.0.0.0/24, 2001:db8::/64" aria-describedby="ag-addresses-hint" />
        <span id="ag-addresses-hint" className="hint">IPv4 or IPv6 addresses or CIDRs, separated by commas or lines.</span>
      </label>
      <ErrorBanner error={action.error} title="Not done:" />
      {action.done ? <Notice>{action.done}</Notice> : null}
      <div className="actions"><button type="submit" className="primary" disabled={action.busy}>{action.busy ? 'Creating…' : 'Create address group'}</button></div>
    </form>
  );
}

function AddressEditor(props: { group: AddressGroupWire; onChanged: () => void; onDelete: () => void }) {
  const { group } = props;
  const [text, setText] = useState('');
  const action = useAction();
  const change = async (kind: 'add' | 'remove', addresses: string[]) => {
    const ok = await action.run(async () => {
      await changeAddresses(group.id, kind, addresses);
      return `${kind === 'add' ? 'Added' : 'Removed'} ${addresses.join(', ')}.`;
    });
    if (ok) {
      setText('');
      props.onChanged();
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseAddressInput(text);
    if ('problem' in parsed) return action.refuse(parsed.problem);
    if (parsed.addresses.length > 0) void change('add', parsed.addresses);
  };
  return (
    <tr>
      <td>{group.name || <span className="muted">(no name)</span>}<div className="muted">{group.description}</div></td>
      <td>
        <ul className="plain" aria-label={`Addresses of ${group.name}`}>
          {group.addresses.map((a) => (
            <li key={a}><code>{a}</code> <button type="button" onClick={() => void change('remove', [a])} aria-label={`Remove ${a} from ${group.name}`}>Remove</button></li>
          ))}
        </ul>
        <form onSubmit={add} className="row">
          <input value={text} onChange={(e) => setText(e.target.value)} aria-label={`Addresses to add to ${group.name}`} placeholder="10.1.0.0/24" />
          <button type="submit" disabled={action.busy}>Add</button>
        </form>
        <ErrorBanner error={action.error} title="Not done:" />
        {action.done ? <Notice>{action.done}</Notice> : null}
      </td>
      <td><code>{group.id}</code></td>
      <td><button type="button" className="danger" onClick={props.onDelete} aria-label={`Delete address group ${group.name}`}>Delete</button></td>
    </tr>
  );
}

export function AddressGroupsPage() {
  const data = useResource(listAddressGroups);
  const [page, setPage] = useState(0);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const shown = pageOf(data.data ?? [], page);
  const askDelete = (g: AddressGroupWire) => setConfirm({
    title: `Delete address group ${g.name}?`,
    body: <p>Rules that name it keep it from being deleted; remove them first.</p>,
    confirmLabel: 'Delete address group',
    action: async () => {
      await deleteAddressGroup(g.id);
      data.reload();
    },
  });
  return (
    <section aria-labelledby="address-groups-title">
      <h1 id="address-groups-title">Address groups</h1>
      <p className="lead">Named sets of addresses and CIDRs that a rule can name as its remote; changing the set changes every such rule at once.</p>
      <CreateForm onCreated={data.reload} />
      <ErrorBanner error={data.error} title="Could not load address groups:" />
      {data.loading && !data.data ? <Loading what="address groups" /> : null}
      {data.data && data.data.length === 0 ? <Empty>No address groups yet.</Empty> : null}
      {shown.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Address groups">
            <thead><tr><th scope="col">Name</th><th scope="col">Addresses</th><th scope="col">ID</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>{shown.items.map((g) => <AddressEditor key={g.id} group={g} onChanged={data.reload} onDelete={() => askDelete(g)} />)}</tbody>
          </table>
        </div>
      ) : null}
      <Pager page={shown} onPage={setPage} label="Address groups" />
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </section>
  );
}
