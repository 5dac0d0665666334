// Instances: the project's ports grouped by device, with addresses and groups, and the create form.
import { groupPortsIntoInstances } from '../instances.js';
import { groupLabels } from '../group-name.js';
import { Link, navigate, useListQuery } from '../navigation.js';
import { listGroups, listNetworks, listPorts, listSubnets } from '../neutron-client.js';
import { pageOf } from '../pagination.js';
import { useResource } from '../use-resource.js';
import { Empty, ErrorBanner, Loading } from '../ui/feedback.js';
import { Pager } from '../ui/pager.js';
import { InstanceCreateForm } from './instance-create-form.js';

export function InstancesPage() {
  const data = useResource(async () => {
    const [ports, groups, networks, subnets] = await Promise.all([listPorts(), listGroups(), listNetworks(), listSubnets()]);
    return { instances: groupPortsIntoInstances(ports), groups, networks, subnets };
  });
  const [query, setQuery] = useListQuery();
  const filter = query.filter;
  const names = groupLabels(data.data?.groups ?? []);
  const needle = filter.trim().toLowerCase();
  const all = (data.data?.instances ?? []).filter((i) => `${i.name} ${i.addresses.join(' ')} ${i.groupIds.map((g) => names.get(g) ?? g).join(' ')}`.toLowerCase().includes(needle));
  const shown = pageOf(all, query.page);
  return (
    <section aria-labelledby="instances-title">
      <h1 id="instances-title">Instances</h1>
      <p className="lead">An instance gets the rules of all of its security groups. Change an instance's groups from its page.</p>
      {data.data ? (
        <InstanceCreateForm networks={data.data.networks} subnets={data.data.subnets} groups={data.data.groups}
          onCreated={(p) => navigate({ page: 'instance', key: p.device_id || `port:${p.id}` })} />
      ) : null}
      <div className="toolbar">
        <label>Filter instances<input type="search" value={filter} onChange={(e) => setQuery({ ...query, filter: e.target.value, page: 0 })} placeholder="Name, address or group" /></label>
        <button type="button" onClick={data.reload}>Refresh</button>
      </div>
      <ErrorBanner error={data.error} title="Could not load instances:" />
      {data.loading && !data.data ? <Loading what="instances" /> : null}
      {data.data && all.length === 0 ? <Empty>{needle ? 'No instance matches the filter.' : 'No instances yet.'}</Empty> : null}
      {shown.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Instances">
            <thead><tr><th scope="col">Name</th><th scope="col">Addresses</th><th scope="col">Security groups</th><th scope="col">Port security</th></tr></thead>
            <tbody>
              {shown.items.map((i) => (
                <tr key={i.key}>
                  <td><Link to={{ page: 'instance', key: i.key }}>{i.name}</Link></td>
                  <td>{i.addresses.join(', ') || <span className="muted">None</span>}</td>
                  <td>{i.groupIds.length ? i.groupIds.map((g) => names.get(g) ?? g).join(', ') : <span className="muted">None</span>}</td>
                  <td>{i.portSecurity ? 'On' : 'Off'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager page={shown} onPage={(page) => setQuery({ ...query, page })} label="Instances" />
    </section>
  );
}
