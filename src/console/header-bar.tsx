// The top bar: product name, navigation, and the project the console acts as (noauth; see auth.ts).
import { useState, type FormEvent } from 'react';
import { getCredentials, setCredentials, type Credentials } from './auth.js';
import { Link } from './navigation.js';
import type { Route } from './route.js';

const SECTIONS: { label: string; to: Route; pages: Route['page'][] }[] = [
  { label: 'Security groups', to: { page: 'groups' }, pages: ['groups', 'group'] },
  { label: 'Instances', to: { page: 'instances' }, pages: ['instances', 'instance'] },
  { label: 'Reachability', to: { page: 'reachability' }, pages: ['reachability'] },
  { label: 'Networks', to: { page: 'networks' }, pages: ['networks'] },
];

function ProjectForm() {
  const [draft, setDraft] = useState<Credentials>(getCredentials);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.projectId.trim() !== '') setCredentials({ ...draft, projectId: draft.projectId.trim() });
  };
  return (
    <form className="project-form" onSubmit={submit} aria-label="Acting as">
      <label>
        Project
        <input value={draft.projectId} onChange={(e) => setDraft({ ...draft, projectId: e.target.value })} size={12} required />
      </label>
      <label>
        Role
        <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value === 'admin' ? 'admin' : 'member' })}>
          <option value="member">member</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <button type="submit">Switch</button>
    </form>
  );
}

export function HeaderBar(props: { route: Route }) {
  return (
    <header className="topbar">
      <span className="brand">Palisade</span>
      <nav aria-label="Sections">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.label}>
              <Link to={s.to} {...(s.pages.includes(props.route.page) ? { 'aria-current': 'page' as const } : {})}>{s.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <ProjectForm />
    </header>
  );
}
