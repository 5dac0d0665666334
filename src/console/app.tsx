// The console shell: top bar and the page for the current route; switching project reloads every view.
import { useEffect, useState } from 'react';
import { getCredentials, onCredentialsChange } from './auth.js';
import { HeaderBar } from './header-bar.js';
import { Link, useRoute } from './navigation.js';
import { routePath, type Route } from './route.js';
import { GroupPage } from './views/group-page.js';
import { GroupsPage } from './views/groups-page.js';
import { InstancePage } from './views/instance-page.js';
import { InstancesPage } from './views/instances-page.js';
import { NetworksPage } from './views/networks-page.js';
import { ReachabilityPage } from './views/reachability-page.js';

function Page(props: { route: Route }) {
  const { route } = props;
  switch (route.page) {
    case 'groups': return <GroupsPage />;
    case 'group': return <GroupPage id={route.id} />;
    case 'instances': return <InstancesPage />;
    case 'instance': return <InstancePage instanceKey={route.key} />;
    case 'networks': return <NetworksPage />;
    case 'reachability': return <ReachabilityPage />;
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
  useEffect(() => onCredentialsChange(() => setWho(getCredentials())), []);
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <HeaderBar route={route} />
      <main id="main" key={`${who.projectId}/${who.role}`}>
        <Page key={routePath(route)} route={route} />
      </main>
    </>
  );
}
