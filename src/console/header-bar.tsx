// The top bar: product name, navigation, and who the console acts as: the signed-in user, or noauth's project form (see auth.ts).
import { useState, type FormEvent } from 'react';
import { getCredentials, getSession, setCredentials, signOut, type AuthMode, type Credentials } from './auth.js';
import { Link } from './navigation.js';
import type { Route } from './route.js';

const SECTIONS: { label: string; to: Route; pages: Route['page'][] }[] = [
  { label: 'Security groups', to: { page: 'groups' }, pages: ['groups', 'group'] },
  { label: 'Instances', to: { page: 'instances' }, pages: ['instances', 'instance'] },
  { label: 'Reachability', to: { page: 'reachability' }, pages: ['reachability'] },
  { label: 'Networks', to: { page: 'networks' }, pages: ['networks'] },
  { label: 'Address groups', to: { page: 'address-groups' }, pages: ['address-groups'] },
  { label: 'Default rules', to: { page: 'default-rules' }, pages: ['default-rules'] },
  { label: 'Audit', to: { page: 'audit' }, pages: ['audit'] },
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

function SignedIn() {
  const s = getSession();
  if (!s) return null;
  return (
    <div className="signed-in" role="group" aria-label="Signed in">
      <span>
        <strong>{s.userName}</strong> in project <strong>{s.projectName}</strong> ({s.roles.join(', ') || 'no roles'})
      </span>
      <button type="button" onClick={() => void signOut()}>Sign out</button>
    </div>
  );
}

export function HeaderBar(props: { route: Route; mode: AuthMode }) {
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
      {props.mode === 'noauth' ? <ProjectForm /> : <SignedIn />}
    </header>
  );
}
