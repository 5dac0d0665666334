// Security groups: one page of the list from the API (with its rule counts and the instances using each), quota usage, and the create form.
import { useState } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { groupListString, PAGE_SIZES, parseGroupList, turnPage, type GroupListState } from '../group-list-query.js';
import { groupLabels } from '../group-name.js';
import { groupPortsIntoInstances, instancesByGroup, type Instance } from '../instances.js';
import { ariaSort, nextSort } from '../list-query.js';
import { Link, useUrlState } from '../navigation.js';
import { countRules, listGroupPage, listPorts, quotaUsage, type GroupRow } from '../neutron-client.js';
import { usageLines } from '../quota-words.js';
import { useResource } from '../use-resource.js';
import { Empty, ErrorBanner, Loading, Notice } from '../ui/feedback.js';
import { KeysetPager } from '../ui/pager.js';
import { GroupCreateForm } from './group-create-form.js';

export function isDefaultGroup(group: Pick<SecurityGroupWire, 'name'>): boolean {
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

/** Neutron's `name` filter matches whole names, so the filter is applied on submit, not per keystroke. */
function NameFilter(props: { name: string; onName: (name: string) => void; onRefresh: () => void }) {
  const [draft, setDraft] = useState(props.name);
  return (
    <form className="toolbar" role="search" aria-label="Group name filter" onSubmit={(e) => { e.preventDefault(); props.onName(draft.trim()); }}>
      <label>
        Filter groups
        <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Exact group name" aria-describedby="group-filter-hint" />
      </label>
      <button type="submit">Filter</button>
      {props.name !== '' ? <button type="button" onClick={() => props.onName('')}>Show all</button> : null}
      <button type="button" onClick={props.onRefresh}>Refresh</button>
      <p id="group-filter-hint" className="hint">Matches whole names, as the API does (<code>web</code> finds a group named web, not webserver); press Enter.</p>
    </form>
  );
}

/** Rule counts and instances for the shown groups only, asked once the rows are on screen. */
function useRowDetails(groups: readonly GroupRow[]) {
  return useResource(async () => {
    const ids = groups.map((g) => g.id);
    if (ids.length === 0) return { counts: new Map<string, number>(), users: new Map<string, Instance[]>() };
    const [counts, ports] = await Promise.all([countRules(ids), listPorts(...ids)]);
    return { counts, users: instancesByGroup(groupPortsIntoInstances(ports)) };
  });
}

function GroupRows(props: { groups: readonly GroupRow[] }) {
  const details = useRowDetails(props.groups);
  const labels = groupLabels(props.groups);
  return (
    <tbody>
      {props.groups.map((g) => (
        <tr key={g.id}>
          <td>
            <Link to={{ page: 'group', id: g.id }}>{labels.get(g.id)}</Link>
            {isDefaultGroup(g) ? <span className="badge" title="Created for every project; it cannot be renamed or deleted">default</span> : null}
          </td>
          <td>{g.description}</td>
          <td>{g.stateful ? 'Yes' : 'No'}</td>
          <td>{details.data?.counts.get(g.id) ?? '…'}</td>
          <td>{details.data ? <UsedBy instances={details.data.users.get(g.id) ?? []} /> : '…'}</td>
        </tr>
      ))}
    </tbody>
  );
}

function GroupTable(props: { state: GroupListState; onState: (s: GroupListState) => void }) {
  const { state, onState } = props;
  const data = useResource(() => listGroupPage(state));
  const groups = data.data?.groups ?? [];
  return (
    <>
      <ErrorBanner error={data.error} title="Could not load security groups:" />
      {data.loading && !data.data ? <Loading what="security groups" /> : null}
      {data.data && groups.length === 0 ? <Empty>{state.name ? `No group is named '${state.name}'.` : 'No security groups yet.'}</Empty> : null}
      {groups.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Security groups">
            <thead>
              <tr>
                <SortHeader column="name" label="Name" sort={state.sort} onSort={(sort) => onState({ ...state, sort, marker: '', reverse: false, page: 0 })} />
                <th scope="col">Description</th><th scope="col">Stateful</th><th scope="col">Rules</th><th scope="col">Used by</th>
              </tr>
            </thead>
            <GroupRows key={groups.map((g) => g.id).join()} groups={groups} />
          </table>
        </div>
      ) : null}
      {data.data ? (
        <KeysetPager
          label="Security groups" page={state.page} size={state.size} sizes={PAGE_SIZES} count={groups.length}
          hasPrevious={data.data.previous !== null} hasNext={data.data.next !== null}
          onPrevious={() => onState(turnPage(state, data.data?.previous ?? '', 'previous'))}
          onNext={() => onState(turnPage(state, data.data?.next ?? '', 'next'))}
          onSize={(size) => onState({ ...state, size, marker: '', reverse: false, page: 0 })}
        />
      ) : null}
    </>
  );
}

export function GroupsPage() {
  const [state, setState] = useUrlState(parseGroupList, groupListString);
  const [created, setCreated] = useState<SecurityGroupWire | null>(null);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title" tabIndex={-1}>Security groups</h1>
      <p className="lead">A group is a set of allow rules. An instance gets the rules of every group it is in; anything no rule allows is dropped.</p>
      <QuotaUsageLine key={version} />
      <GroupCreateForm onCreated={(g) => { setCreated(g); reload(); }} />
      {created ? <Notice>Created group <Link to={{ page: 'group', id: created.id }}>{created.name}</Link>. Open it to add rules.</Notice> : null}
      <NameFilter key={state.name} name={state.name} onName={(name) => setState({ ...state, name, marker: '', reverse: false, page: 0 })} onRefresh={reload} />
      <GroupTable key={`${groupListString(state)}#${version}`} state={state} onState={setState} />
    </section>
  );
}
