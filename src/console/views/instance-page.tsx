// One instance: its ports and addresses, its groups (editable), port security, its effective rules, and delete.
import { useState } from 'react';
import type { EffectiveRulesWire, NetworkWire, SecurityGroupWire } from '../../contract/index.js';
import { effectiveRules } from '../analysis-client.js';
import { enginePolicy, portPolicy } from '../effective-rules.js';
import { groupPortsIntoInstances, type Instance } from '../instances.js';
import { Link, navigate, useDocumentTitle } from '../navigation.js';
import { pageTitle } from '../route.js';
import { deletePort, listGroups, listNetworks, listPorts } from '../neutron-client.js';
import { useResource } from '../use-resource.js';
import { ConfirmDialog, type ConfirmRequest } from '../ui/confirm-dialog.js';
import { ErrorBanner, Loading } from '../ui/feedback.js';
import { EffectiveRulesTable } from './effective-rules-table.js';
import { FlowCheck } from './flow-check.js';
import { PortSettings } from './port-settings.js';

interface PortPanelProps {
  instance: Instance;
  index: number;
  groups: readonly SecurityGroupWire[];
  networks: readonly NetworkWire[];
  engine: EffectiveRulesWire | null | undefined;
  onChanged: () => void;
}

function PortPanel(props: PortPanelProps) {
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
      <PortSettings key={port.id} port={port} groups={props.groups} onChanged={props.onChanged} />
      <h3>Effective rules</h3>
      <EffectiveRulesTable policy={props.engine ? enginePolicy(props.engine) : portPolicy(port, byId)} groups={props.groups} label={`Effective rules of ${props.instance.name}`} />
      {props.engine !== null ? (
        <>
          <h3>Check a flow</h3>
          <FlowCheck port={port} instanceName={props.instance.name} />
        </>
      ) : null}
    </section>
  );
}

export function InstancePage(props: { instanceKey: string }) {
  const data = useResource(async () => {
    const [ports, groups, networks] = await Promise.all([listPorts(), listGroups(), listNetworks()]);
    const instance = groupPortsIntoInstances(ports).find((i) => i.key === props.instanceKey);
    const engine = await Promise.all((instance?.ports ?? []).map((p) => effectiveRules(p.id)));
    return { instance, groups, networks, engine };
  });
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  useDocumentTitle(pageTitle({ page: 'instance', key: props.instanceKey }, data.data?.instance?.name));
  const back = <p><Link to={{ page: 'instances' }}>← Instances</Link></p>;
  if (!data.data) return <section>{back}{data.loading ? <Loading what="the instance" /> : <ErrorBanner error={data.error} title="Could not load the instance:" />}</section>;
  const { instance, groups, networks, engine } = data.data;
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
      {instance.ports.map((p, i) => <PortPanel key={p.id} instance={instance} index={i} groups={groups} networks={networks} engine={engine[i]} onChanged={data.reload} />)}
      <div className="actions left">
        <button type="button" className="danger" onClick={askDelete}>Delete instance</button>
      </div>
      <ConfirmDialog request={request} onClose={() => setRequest(null)} />
    </section>
  );
}
