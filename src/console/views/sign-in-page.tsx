// The sign-in page (keystone mode): user, password, project and domain, to a token from /identity/v3/auth/tokens.
import { useState, type FormEvent } from 'react';
import { signIn, signInNotice, type AuthMode } from '../auth.js';
import { ErrorBanner, Notice } from '../ui/feedback.js';

const LAST_KEY = 'palisade.last-sign-in';

function lastUsed(): { user: string; project: string; domain: string } {
  try {
    const raw = JSON.parse(localStorage.getItem(LAST_KEY) ?? 'null') as { user?: unknown; project?: unknown; domain?: unknown } | null;
    const s = (v: unknown, d: string) => (typeof v === 'string' && v !== '' ? v : d);
    return { user: s(raw?.user, ''), project: s(raw?.project, ''), domain: s(raw?.domain, 'Default') };
  } catch {
    return { user: '', project: '', domain: 'Default' };
  }
}

export function SignInPage(props: { mode: AuthMode }) {
  const [draft, setDraft] = useState(() => ({ ...lastUsed(), password: '' }));
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const notice = signInNotice();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const input = { user: draft.user.trim(), password: draft.password, project: draft.project.trim(), domain: draft.domain.trim() || 'Default' };
      await signIn(input);
      localStorage.setItem(LAST_KEY, JSON.stringify({ user: input.user, project: input.project, domain: input.domain }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const set = (key: keyof typeof draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Palisade</h1>
      {props.mode === 'external' ? (
        <div className="banner banner-warn" role="alert">
          This server checks tokens with an external Keystone, which the console cannot sign in to. Use the
          openstack client with that Keystone, or run Palisade with its built-in identity (PALISADE_AUTH=keystone).
        </div>
      ) : (
        <form className="form-grid" aria-label="Sign in" onSubmit={(e) => void submit(e)}>
          {error === undefined && notice ? (notice.problem ? <ErrorBanner error={new Error(notice.message)} /> : <Notice>{notice.message}</Notice>) : null}
          <ErrorBanner error={error} title="Sign-in failed:" />
          <label>User name<input value={draft.user} onChange={set('user')} autoComplete="username" required autoFocus /></label>
          <label>Password<input type="password" value={draft.password} onChange={set('password')} autoComplete="current-password" required /></label>
          <label>Project<input value={draft.project} onChange={set('project')} required /></label>
          <label>Domain<input value={draft.domain} onChange={set('domain')} required /></label>
          <div className="actions"><button type="submit" className="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button></div>
        </form>
      )}
    </main>
  );
}
