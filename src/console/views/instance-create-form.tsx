// Create an instance: a port with a fresh device_id on a network, an optional fixed IP, and its groups (POST /v2.0/ports).
import { useState, type FormEvent } from 'react';
import type { NetworkWire, PortWire, SecurityGroupWire, SubnetWire } from '../../contract/index.js';
import { newDeviceId } from '../device-id.js';
import { Link } from '../navigation.js';
import { defaultNetworkId, networkChoices } from '../network-choices.js';
import { createPort, type PortAttrs } from '../neutron-client.js';
import { ErrorBanner } from '../ui/feedback.js';
import { GroupPicker } from '../ui/group-picker.js';

interface Props {
  readonly networks: readonly NetworkWire[];
  readonly subnets: readonly SubnetWire[];
  readonly groups: readonly SecurityGroupWire[];
  readonly onCreated: (port: PortWire) => void;
}

function portBody(form: { name: string; networkId: string; subnetId: string; ip: string; groups: string[] }): PortAttrs {
  const ip = form.ip.trim();
  const fixed = form.subnetId ? [{ subnet_id: form.subnetId, ...(ip ? { ip_address: ip } : {}) }] : ip ? [{ ip_address: ip } as { subnet_id: string; ip_address: string }] : undefined;
  return {
    name: form.name.trim(), network_id: form.networkId, device_id: newDeviceId(), device_owner: 'compute:nova',
    security_groups: form.groups, ...(fixed ? { fixed_ips: fixed } : {}),
  };
}

export function InstanceCreateForm(props: Props) {
  const defaultGroup = props.groups.find((g) => g.name === 'default');
  const choices = networkChoices(props.networks, props.subnets);
  const [form, setForm] = useState({ name: '', networkId: defaultNetworkId(choices), subnetId: '', ip: '', groups: defaultGroup ? [defaultGroup.id] : [] });
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const subnets = props.subnets.filter((s) => s.network_id === form.networkId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const port = await createPort(portBody(form));
      setForm({ ...form, name: '', ip: '' });
      props.onCreated(port);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (props.networks.length === 0) {
    return <div className="card"><h2>Create instance</h2><p>An instance needs a network. <Link to={{ page: 'networks' }}>Create a network</Link> first.</p></div>;
  }
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="create-instance-title">
      <h2 id="create-instance-title">Create instance</h2>
      <label>Name<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required maxLength={255} /></label>
      <label>
        Network
        <select value={form.networkId} onChange={(e) => setForm({ ...form, networkId: e.target.value, subnetId: '' })}>
          {choices.map((n) => <option key={n.id} value={n.id}>{n.label}</option>)}
        </select>
      </label>
      {choices.some((c) => c.id === form.networkId && !c.usable) ? <p className="hint" role="note">This network has no subnet: the instance would get no address. Add a subnet on the Networks page first.</p> : null}
      <label>
        Subnet
        <select value={form.subnetId} onChange={(e) => setForm({ ...form, subnetId: e.target.value })}>
          <option value="">Any subnet of the network</option>
          {subnets.map((s) => <option key={s.id} value={s.id}>{s.name ? `${s.name} (${s.cidr})` : s.cidr}</option>)}
        </select>
      </label>
      <label>Fixed IP (optional)<input value={form.ip} onChange={(e) => setForm({ ...form, ip: e.target.value })} placeholder="Allocated automatically" /></label>
      <GroupPicker legend="Security groups" groups={props.groups} selected={form.groups} onChange={(groups) => setForm({ ...form, groups })} />
      <ErrorBanner error={error} title="The instance was not created:" />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Creating…' : 'Create instance'}</button>
      </div>
    </form>
  );
}
