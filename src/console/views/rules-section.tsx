// A group's rules: filterable, paged table, delete with confirmation, download as CSV or JSON.
import { useState } from 'react';
import type { SecurityGroupRuleWire, SecurityGroupWire } from '../../contract/index.js';
import { downloadText, fileStem } from '../download.js';
import { deleteRule, type GroupRef } from '../neutron-client.js';
import { pageOf } from '../pagination.js';
import { compareRules, directionLabel, portLabel, protocolLabel, remoteLabel, ruleMatchesText, ruleSummary } from '../rule-format.js';
import { rulesToCsv } from '../rules-csv.js';
import { remainingTime } from '../history-words.js';
import { ConfirmDialog, type ConfirmRequest } from '../ui/confirm-dialog.js';
import { Empty } from '../ui/feedback.js';
import { Pager } from '../ui/pager.js';

export function groupNamer(groups: readonly GroupRef[]): (id: string) => string | undefined {
  const names = new Map(groups.map((g) => [g.id, g.name]));
  return (id) => names.get(id);
}

interface Filters {
  direction: '' | 'ingress' | 'egress';
  ethertype: '' | 'IPv4' | 'IPv6';
  text: string;
}

function FilterBar(props: { filters: Filters; onChange: (f: Filters) => void }) {
  const { filters, onChange } = props;
  return (
    <div className="toolbar" role="search" aria-label="Filter rules">
      <label>
        Direction
        <select value={filters.direction} onChange={(e) => onChange({ ...filters, direction: e.target.value as Filters['direction'] })}>
          <option value="">All</option><option value="ingress">Ingress</option><option value="egress">Egress</option>
        </select>
      </label>
      <label>
        Ether type
        <select value={filters.ethertype} onChange={(e) => onChange({ ...filters, ethertype: e.target.value as Filters['ethertype'] })}>
          <option value="">All</option><option value="IPv4">IPv4</option><option value="IPv6">IPv6</option>
        </select>
      </label>
      <label>
        Search
        <input type="search" value={filters.text} onChange={(e) => onChange({ ...filters, text: e.target.value })} placeholder="tcp 22, 10.0.0.0/8, description…" />
      </label>
    </div>
  );
}

export function RulesSection(props: { group: SecurityGroupWire; groups: readonly GroupRef[]; onChanged: () => void }) {
  const { group } = props;
  const rules = [...(group.security_group_rules ?? [])].sort(compareRules);
  const name = groupNamer(props.groups);
  const [filters, setFilters] = useState<Filters>({ direction: '', ethertype: '', text: '' });
  const [page, setPage] = useState(0);
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const visible = rules.filter(
    (r) => (!filters.direction || r.direction === filters.direction) && (!filters.ethertype || r.ethertype === filters.ethertype) && ruleMatchesText(r, filters.text, name),
  );
  const shown = pageOf(visible, page);
  const askDelete = (r: SecurityGroupRuleWire) =>
    setRequest({
      title: 'Delete this rule?',
      body: <p>{ruleSummary(r, name)}{r.description ? ` — ${r.description}` : ''}</p>,
      confirmLabel: 'Delete rule',
      action: async () => {
        await deleteRule(r.id);
        props.onChanged();
      },
    });
  const stem = fileStem(group.name);
  return (
    <section className="card" aria-labelledby="rules-title">
      <div className="card-head">
        <h2 id="rules-title">Rules ({rules.length})</h2>
        <div className="actions">
          <button type="button" onClick={() => downloadText(`${stem}-rules.csv`, rulesToCsv(rules, props.groups), 'text/csv')}>Download CSV</button>
          <button type="button" onClick={() => downloadText(`${stem}-rules.json`, JSON.stringify({ security_group_rules: rules }, null, 2) + '\n', 'application/json')}>Download JSON</button>
        </div>
      </div>
      <FilterBar filters={filters} onChange={(f) => { setFilters(f); setPage(0); }} />
      {rules.length === 0 ? <Empty>This group has no rules, so it allows nothing. Add a rule below.</Empty> : null}
      {rules.length > 0 && visible.length === 0 ? <Empty>No rule matches the filters.</Empty> : null}
      {shown.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label={`Rules of ${group.name}`}>
            <thead>
              <tr>
                <th scope="col">Direction</th><th scope="col">Ether type</th><th scope="col">IP protocol</th><th scope="col">Port range / ICMP</th>
                <th scope="col">Remote</th><th scope="col">Description</th><th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.items.map((r) => (
                <tr key={r.id}>
                  <td>{directionLabel(r.direction)}</td><td>{r.ethertype}</td><td>{protocolLabel(r.protocol)}</td><td>{portLabel(r)}</td>
                  <td>{remoteLabel(r, name)}</td>
                  <td>{r.description}{r.expires_at ? <> <span className="badge" title={`Deleted at ${r.expires_at}`}>expires {remainingTime(r.expires_at, Date.now())}</span></> : null}</td>
                  <td><button type="button" className="link danger" onClick={() => askDelete(r)} aria-label={`Delete rule ${ruleSummary(r, name)}`}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager page={shown} onPage={setPage} label="Rules" />
      <ConfirmDialog request={request} onClose={() => setRequest(null)} />
    </section>
  );
}
