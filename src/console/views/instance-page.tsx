// One instance: its ports and addresses, its groups (editable), port security, its effective rules, and delete.
import { useState } from 'react';
import type { NetworkWire, SecurityGroupWire } from '../../api/wire/neutron-wire.js';
import { portPolicy } from '../effective-rules.js';
import { groupPortsIntoInstances, type Instance } from '../instances.js';
import { Link, navigate } from '../navigation.js';
import { deletePort, listGroups, listNetworks, listPorts } from '../neutron-client.js';
import { useResource } from '../use-resource.js';
import { ConfirmDialog, type ConfirmRequest } from '../ui/confirm-dialog.js';
import { ErrorBanner, Loading } from '../ui/feedback.js';
import { EffectiveRulesTable } from './effective-rules-table.js';
import { PortSettings } from './port-settings.js';

function PortPanel(props: { instance: Instance; index: number; groups: readonly SecurityGroupWire[]; networks: readonly NetworkWire[]; onChanged: () => void }) {
  const port = props.instance.ports[props.index]!;
  const byId = new Map(props.groups.map((g) => [g.id, g]));
  const network = props.networks.find((n) => n.id === port.network_id);
  const title = props.instance.ports.length > 1 ? `Port ${port.name || port.id}` : 'Network interface';
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <dl className="facts">
        <dt>Network</dt><dd>{network?.name || port.network_id}</dd>
        <dt>Addresses</dt><dd>{port.fixed_ips.map((ip) => ip.ip_address).join(', ') || <span className="muted">None</span>}</dd>
        <dt>MAC</dt><dd><code>{port.mac_address}</code></dd>
        <dt>Port ID</dt><dd><code>{port.id}</code></dd>
      </dl>
      <PortSettings key={`${port.id}/${port.revision_number}`} port={port} groups={props.groups} onChanged={props.onChanged} />
      <h3>Effective rules</h3>
      <p className="hint">The union of the rules of this port's groups, merged in the console from the Neutron API.</p>
      <EffectiveRulesTable policy={portPolicy(port, byId)} groups={props.groups} label={`Effective rules of ${props.instance.name}`} />
    </section>
  );
}

export function InstancePage(props: { instanceKey: string }) {
  const data = useResource(async () => {
    const [ports, groups, networks] = await Promise.all([listPorts(), listGroups(), listNetworks()]);
    return { instance: groupPortsIntoInstances(ports).find((i) => i.key === props.instanceKey), groups, networks };
  });
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const back = <p><Link to={{ page: 'instances' }}>← Instances</Link></p>;
  if (!data.data) return <section>{back}{data.loading ? <Loading what="the instance" /> : <ErrorBanner error={data.error} title="Could not load the instance:" />}</section>;
  const { instance, groups, networks } = data.data;
  if (!instance) return <section>{back}<h1>Instance not found</h1><p>No port of this project belongs to device {props.instanceKey}.</p></section>;
  const askDelete = () =>
    setRequest({
      title: `Delete instance ${instance.name}?`,
      body: <p>Its {instance.ports.length === 1 ? 'port is' : `${instance.ports.length} ports are`} deleted; its groups stay.</p>,
      confirmLabel: 'Delete instance',
      action: async () => {
        for (const p of instance.ports) await deletePort(p.id);
        navigate({ page: 'instances' });
      },
    });
  return (
    <section aria-labelledby="instance-title">
      {back}
      <h1 id="instance-title">{instance.name}</h1>
      <ErrorBanner error={data.error} title="Could not refresh:" />
      <dl className="facts">
        <dt>Device ID</dt><dd><code>{instance.deviceId || '(none)'}</code></dd>
        <dt>Addresses</dt><dd>{instance.addresses.join(', ') || <span className="muted">None</span>}</dd>
      </dl>
      {instance.ports.map((p, i) => <PortPanel key={p.id} instance={instance} index={i} groups={groups} networks={networks} onChanged={data.reload} />)}
      <div className="actions left">
        <button type="button" className="danger" onClick={askDelete}>Delete instance</button>
      </div>
      <ConfirmDialog request={request} onClose={() => setRequest(null)} />
    </section>
  );
}
