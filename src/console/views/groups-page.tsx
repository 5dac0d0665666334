// Security groups: the list with rule counts and the instances using each, quota usage, and the create form.
import { useState } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { groupLabels } from '../group-name.js';
import { groupPortsIntoInstances, instancesByGroup, type Instance } from '../instances.js';
import { ariaSort, nextSort } from '../list-query.js';
import { Link, useListQuery } from '../navigation.js';
import { listGroups, listPorts, quotaUsage } from '../neutron-client.js';
import { pageOf } from '../pagination.js';
import { usageLines } from '../quota-words.js';
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

const ruleCount = (g: SecurityGroupWire) => g.security_group_rules?.length ?? 0;

/** The list in the URL's order: by name (the API's order) or by rule count, either way. */
function sorted(groups: readonly SecurityGroupWire[], sort: string): SecurityGroupWire[] {
  const desc = sort.startsWith('-');
  const by = desc ? sort.slice(1) : sort;
  const out = by === 'rules' ? [...groups].sort((a, b) => ruleCount(a) - ruleCount(b)) : [...groups];
  return desc ? out.reverse() : out;
}

function SortHeader(props: { column: string; label: string; sort: string; onSort: (s: string) => void }) {
  return (
    <th scope="col" aria-sort={ariaSort(props.sort, props.column)}>
      <button type="button" className="link" onClick={() => props.onSort(nextSort(props.sort, props.column))}>{props.label}</button>
    </th>
  );
}

function QuotaUsageLine() {
  const usage = useResource(quotaUsage);
  if (!usage.data) return null;
  const lines = usageLines(usage.data, ['security_group', 'security_group_rule']);
  return lines.length > 0 ? <p className="hint" aria-label="Quota usage">Your project uses {lines.join(' and ')}.</p> : null;
}

export function GroupsPage() {
  const data = useResource(async () => {
    const [groups, ports] = await Promise.all([listGroups(), listPorts()]);
    return { groups, users: instancesByGroup(groupPortsIntoInstances(ports)) };
  });
  const [query, setQuery] = useListQuery();
  const [created, setCreated] = useState<SecurityGroupWire | null>(null);
  const filter = query.filter;
  const all = data.data?.groups ?? [];
  const labels = groupLabels(all);
  const groups = sorted(all.filter((g) => `${g.name} ${g.description} ${g.id}`.toLowerCase().includes(filter.trim().toLowerCase())), query.sort);
  const shown = pageOf(groups, query.page);
  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title" tabIndex={-1}>Security groups</h1>
      <p className="lead">A group is a set of allow rules. An instance gets the rules of every group it is in; anything no rule allows is dropped.</p>
      <QuotaUsageLine key={all.length} />
      <GroupCreateForm onCreated={(g) => { setCreated(g); data.reload(); }} />
      {created ? <Notice>Created group <Link to={{ page: 'group', id: created.id }}>{created.name}</Link>. Open it to add rules.</Notice> : null}
      <div className="toolbar">
        <label>
          Filter groups
          <input type="search" value={filter} onChange={(e) => setQuery({ ...query, filter: e.target.value, page: 0 })} placeholder="Name, description or id" />
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
              <tr>
                <SortHeader column="name" label="Name" sort={query.sort === '' ? 'name' : query.sort} onSort={(sort) => setQuery({ ...query, sort, page: 0 })} />
                <th scope="col">Description</th><th scope="col">Stateful</th>
                <SortHeader column="rules" label="Rules" sort={query.sort} onSort={(sort) => setQuery({ ...query, sort, page: 0 })} />
                <th scope="col">Used by</th>
              </tr>
            </thead>
            <tbody>
              {shown.items.map((g) => (
                <tr key={g.id}>
                  <td>
                    <Link to={{ page: 'group', id: g.id }}>{labels.get(g.id)}</Link>
                    {isDefaultGroup(g) ? <span className="badge" title="Created for every project; it cannot be renamed or deleted">default</span> : null}
                  </td>
                  <td>{g.description}</td>
                  <td>{g.stateful ? 'Yes' : 'No'}</td>
                  <td>{ruleCount(g)}</td>
                  <td><UsedBy instances={data.data?.users.get(g.id) ?? []} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager page={shown} onPage={(page) => setQuery({ ...query, page })} label="Security groups" />
    </section>
  );
}
