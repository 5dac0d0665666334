// The audit page: who changed what in the project (an admin: in every project), filtered by time, user, resource, action.
import { useCallback, useState, type FormEvent } from 'react';
import { CHANGE_RESOURCE_LABELS } from '../audit-labels.js';
import { auditPage, type AuditFilters } from '../history-client.js';
import { useDocumentTitle } from '../navigation.js';
import { pageTitle } from '../route.js';
import { HistoryTable } from './history-table.js';

const NO_FILTERS: AuditFilters = { since: '', until: '', user: '', resource: '', action: '' };

export function AuditPage() {
  useDocumentTitle(pageTitle({ page: 'audit' }));
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const load = useCallback((marker: string | null) => auditPage(filters, marker), [filters]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };
  const field = (key: keyof AuditFilters) => ({ value: draft[key], onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }) });
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <p className="hint">Every change to the project's security groups, rules, ports and networks, and who made it. Admins see every project and identity changes.</p>
      <form className="toolbar" role="search" aria-label="Filter the audit" onSubmit={submit}>
        <label>From <input type="date" {...field('since')} /></label>
        <label>Before <input type="date" {...field('until')} /></label>
        <label>User <input {...field('user')} placeholder="name or id" size={12} /></label>
        <label>
          Resource
          <select {...field('resource')}>
            <option value="">All</option>
            {Object.entries(CHANGE_RESOURCE_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <label>
          Action
          <select {...field('action')}>
            <option value="">All</option><option value="create">Create</option><option value="update">Update</option><option value="delete">Delete</option>
          </select>
        </label>
        <button type="submit">Apply</button>
      </form>
      <HistoryTable label="Audit" load={load} groupName={() => undefined} showProject />
    </section>
  );
}
