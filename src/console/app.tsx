// The console shell: the sign-in page until signed in (keystone mode), then the top bar and the page for the current route;
// switching project or user reloads every view.
import { useEffect, useRef, useState } from 'react';
import { authMode, getCredentials, getSession, loadAuthMode, onCredentialsChange } from './auth.js';
import { HeaderBar } from './header-bar.js';
import { focusHeadingWhenShown, Link, useDocumentTitle, useRoute } from './navigation.js';
import { pageTitle, routePath, type Route } from './route.js';
import { AuditPage } from './views/audit-page.js';
import { GroupPage } from './views/group-page.js';
import { GroupsPage } from './views/groups-page.js';
import { SignInPage } from './views/sign-in-page.js';
import { InstancePage } from './views/instance-page.js';
import { InstancesPage } from './views/instances-page.js';
import { NetworksPage } from './views/networks-page.js';
import { AddressGroupsPage } from './views/address-groups-page.js';
import { ReachabilityPage } from './views/reachability-page.js';
import { DefaultRulesPage } from './views/default-rules-page.js';

function Page(props: { route: Route }) {
  const { route } = props;
  switch (route.page) {
    case 'groups': return <GroupsPage />;
    case 'group': return <GroupPage id={route.id} />;
    case 'instances': return <InstancesPage />;
    case 'instance': return <InstancePage instanceKey={route.key} />;
    case 'networks': return <NetworksPage />;
    case 'address-groups': return <AddressGroupsPage />;
    case 'reachability': return <ReachabilityPage />;
    case 'default-rules': return <DefaultRulesPage />;
    case 'audit': return <AuditPage />;
    case 'not-found':
      return (
        <section>
          <h1>Page not found</h1>
          <p>Nothing lives at {route.path}. <Link to={{ page: 'groups' }}>Go to security groups</Link>.</p>
        </section>
      );
  }
}

export function App() {
  const route = useRoute();
  const [who, setWho] = useState(getCredentials);
  const [mode, setMode] = useState(authMode);
  const [signedIn, setSignedIn] = useState(() => getSession() !== null);
  const main = useRef<HTMLElement>(null);
  const firstPage = useRef(true);
  const path = routePath(route);
  useDocumentTitle(pageTitle(route));
  // After in-app navigation (not the first load) focus goes to the new page's heading.
  useEffect(() => {
    if (firstPage.current || !main.current) {
      firstPage.current = false;
      return;
    }
    return focusHeadingWhenShown(main.current);
  }, [path]);
  useEffect(() => {
    const unsubscribe = onCredentialsChange(() => {
      setMode(authMode());
      setWho(getCredentials());
      setSignedIn(getSession() !== null);
    });
    void loadAuthMode();
    return unsubscribe;
  }, []);
  if (mode === null) return <main id="main"><p className="muted" role="status">Loading…</p></main>;
  if (mode !== 'noauth' && !signedIn) return <SignInPage mode={mode} />;
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <HeaderBar route={route} mode={mode} />
      <main id="main" ref={main} key={`${who.projectId}/${who.role}`}>
        <Page key={path} route={route} />
      </main>
    </>
  );
}
