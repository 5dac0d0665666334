// Networks and subnets: what instances attach to; create a network with its first subnet.
import { useRef, useState, type FormEvent } from 'react';
import { subnetCidrProblem } from '../ip-cidr.js';
import { createNetwork, createSubnet, deleteNetwork, listNetworks, listSubnets } from '../neutron-client.js';
import { pageOf } from '../pagination.js';
import { useResource } from '../use-resource.js';
import { Empty, ErrorBanner, Loading, Notice } from '../ui/feedback.js';
import { Pager } from '../ui/pager.js';

function NetworkCreateForm(props: { onCreated: () => void }) {
  const [form, setForm] = useState({ name: '', cidr: '10.0.0.0/24' });
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cidrError, setCidrError] = useState<string | null>(null);
  const cidrInput = useRef<HTMLInputElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(null);
    const problem = subnetCidrProblem(form.cidr);
    setCidrError(problem);
    if (problem) {
      setBusy(false);
      return cidrInput.current?.focus();
    }
    try {
      const network = await createNetwork(form.name.trim());
      try {
        await createSubnet(network.id, form.cidr.trim(), `${network.name || 'net'}-subnet`);
      } catch (err) {
        // A network without a subnet gives instances no address: take it back, so a retry does not make a second one.
        await deleteNetwork(network.id).catch(() => undefined);
        throw err;
      }
      setDone(`Created network ${network.name} with subnet ${form.cidr.trim()}.`);
      setForm({ name: '', cidr: form.cidr });
      props.onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="create-network-title">
      <h2 id="create-network-title">Create network</h2>
      <label>Name<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required maxLength={255} /></label>
      <label>
        Subnet CIDR
        <input ref={cidrInput} value={form.cidr} onChange={(e) => { setForm({ ...form, cidr: e.target.value }); setCidrError(null); }} required
          aria-invalid={cidrError !== null} aria-describedby="subnet-cidr-error" />
        <span id="subnet-cidr-error" className="field-error">{cidrError ?? ''}</span>
      </label>
      <ErrorBanner error={error} title="Not done:" />
      {done ? <Notice>{done}</Notice> : null}
      <div className="actions"><button type="submit" className="primary" disabled={busy}>{busy ? 'Creating…' : 'Create network'}</button></div>
    </form>
  );
}

export function NetworksPage() {
  const data = useResource(async () => {
    const [networks, subnets] = await Promise.all([listNetworks(), listSubnets()]);
    return { networks, subnets };
  });
  const [page, setPage] = useState(0);
  const shown = pageOf(data.data?.networks ?? [], page);
  return (
    <section aria-labelledby="networks-title">
      <h1 id="networks-title">Networks</h1>
      <p className="lead">Instances take their addresses from a network's subnets.</p>
      <NetworkCreateForm onCreated={data.reload} />
      <ErrorBanner error={data.error} title="Could not load networks:" />
      {data.loading && !data.data ? <Loading what="networks" /> : null}
      {data.data && data.data.networks.length === 0 ? <Empty>No networks yet.</Empty> : null}
      {shown.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Networks">
            <thead><tr><th scope="col">Name</th><th scope="col">Subnets</th><th scope="col">Port security default</th><th scope="col">ID</th></tr></thead>
            <tbody>
              {shown.items.map((n) => (
                <tr key={n.id}>
                  <td>{n.name || <span className="muted">(no name)</span>}</td>
                  <td>{(data.data?.subnets ?? []).filter((s) => s.network_id === n.id).map((s) => s.cidr).join(', ') || <span className="muted">None</span>}</td>
                  <td>{n.port_security_enabled ? 'On' : 'Off'}</td>
                  <td><code>{n.id}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager page={shown} onPage={setPage} label="Networks" />
    </section>
  );
}
