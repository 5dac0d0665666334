// Security groups: the list with rule counts and the instances using each, and the create form.
import { useState } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { groupPortsIntoInstances, instancesByGroup, type Instance } from '../instances.js';
import { Link } from '../navigation.js';
import { listGroups, listPorts } from '../neutron-client.js';
import { pageOf } from '../pagination.js';
import { useResource } from '../use-resource.js';
import { Empty, ErrorBanner, Loading, Notice } from '../ui/feedback.js';
import { Pager } from '../ui/pager.js';
import { GroupCreateForm } from './group-create-form.js';

export function isDefaultGroup(group: SecurityGroupWire): boolean {
  return group.name === 'default';
}

function UsedBy(props: { instances: readonly Instance[] }) {
  if (props.instances.length === 0) return <span className="muted">Not used</span>;
  const shown = props.instances.slice(0, 3);
  return (
    <span>
      {shown.map((inst, i) => (
        <span key={inst.key}>
          {i > 0 ? ', ' : ''}
          <Link to={{ page: 'instance', key: inst.key }}>{inst.name}</Link>
        </span>
      ))}
      {props.instances.length > 3 ? ` and ${props.instances.length - 3} more` : ''}
    </span>
  );
}

export function GroupsPage() {
  const data = useResource(async () => {
    const [groups, ports] = await Promise.all([listGroups(), listPorts()]);
    return { groups, users: instancesByGroup(groupPortsIntoInstances(ports)) };
  });
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const [created, setCreated] = useState<SecurityGroupWire | null>(null);
  const groups = (data.data?.groups ?? []).filter((g) => `${g.name} ${g.description} ${g.id}`.toLowerCase().includes(filter.trim().toLowerCase()));
  const shown = pageOf(groups, page);
  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title">Security groups</h1>
      <p className="lead">A group is a set of allow rules. An instance gets the rules of every group it is in; anything no rule allows is dropped.</p>
      <GroupCreateForm onCreated={(g) => { setCreated(g); data.reload(); }} />
      {created ? <Notice>Created group <Link to={{ page: 'group', id: created.id }}>{created.name}</Link>. Open it to add rules.</Notice> : null}
      <div className="toolbar">
        <label>
          Filter groups
          <input type="search" value={filter} onChange={(e) => { setFilter(e.target.value); setPage(0); }} placeholder="Name, description or id" />
        </label>
        <button type="button" onClick={data.reload}>Refresh</button>
      </div>
      <ErrorBanner error={data.error} title="Could not load security groups:" />
      {data.loading && !data.data ? <Loading what="security groups" /> : null}
      {data.data && groups.length === 0 ? <Empty>{filter ? 'No group matches the filter.' : 'No security groups yet.'}</Empty> : null}
      {shown.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Security groups">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Description</th><th scope="col">Stateful</th><th scope="col">Rules</th><th scope="col">Used by</th></tr>
            </thead>
            <tbody>
              {shown.items.map((g) => (
                <tr key={g.id}>
                  <td>
                    <Link to={{ page: 'group', id: g.id }}>{g.name || g.id}</Link>
                    {isDefaultGroup(g) ? <span className="badge" title="Created for every project; it cannot be renamed or deleted">default</span> : null}
                  </td>
                  <td>{g.description}</td>
                  <td>{g.stateful ? 'Yes' : 'No'}</td>
                  <td>{g.security_group_rules?.length ?? 0}</td>
                  <td><UsedBy instances={data.data?.users.get(g.id) ?? []} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager page={shown} onPage={setPage} label="Security groups" />
    </section>
  );
}
