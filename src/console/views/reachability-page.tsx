// Understand: reachability between two instances and the project matrix, answered by the policy engine.
import { groupPortsIntoInstances } from '../instances.js';
import { Link } from '../navigation.js';
import { listGroups, listPorts } from '../neutron-client.js';
import { useResource } from '../use-resource.js';
import { Empty, ErrorBanner, Loading } from '../ui/feedback.js';
import { MatrixPanel } from './matrix-panel.js';
import { ReachabilityPanel, type PortChoice } from './reachability-panel.js';

export function ReachabilityPage() {
  const data = useResource(async () => {
    const [ports, groups] = await Promise.all([listPorts(), listGroups()]);
    const instances = groupPortsIntoInstances(ports);
    const choices = instances.flatMap((i) =>
      i.ports.map((p): PortChoice => ({ port: p, label: `${i.name}${i.ports.length > 1 ? ` / ${p.name || p.id}` : ''} (${p.fixed_ips.map((f) => f.ip_address).join(', ') || 'no address'})` })),
    );
    const deviceNames = new Map(instances.map((i) => [i.deviceId, i.name]));
    return { choices, groups, deviceNames };
  });
  return (
    <section aria-labelledby="understand-title">
      <h1 id="understand-title">Reachability</h1>
      <p className="lead">Traffic from A to B passes only if A's egress rules and B's ingress rules both allow it. Answers come from the policy engine.</p>
      <ErrorBanner error={data.error} title="Could not load instances:" />
      {data.loading && !data.data ? <Loading what="instances" /> : null}
      {data.data && data.data.choices.length === 0 ? <Empty>No instances yet. <Link to={{ page: 'instances' }}>Create one</Link>.</Empty> : null}
      {data.data && data.data.choices.length > 0 ? <ReachabilityPanel choices={data.data.choices} groups={data.data.groups} /> : null}
      {data.data ? <MatrixPanel deviceNames={data.data.deviceNames} /> : null}
    </section>
  );
}
