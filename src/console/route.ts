// The console's pages as URL paths, parsed and printed (history API routing; the server falls back to index.html).

export type Route =
  | { readonly page: 'groups' }
  | { readonly page: 'group'; readonly id: string }
  | { readonly page: 'instances' }
  | { readonly page: 'instance'; readonly key: string }
  | { readonly page: 'networks' }
  | { readonly page: 'address-groups' }
  | { readonly page: 'reachability' }
  | { readonly page: 'default-rules' }
  | { readonly page: 'audit' }
  | { readonly page: 'not-found'; readonly path: string };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { page: 'not-found', path: pathname };
  if (first === undefined || (first === 'security-groups' && second === undefined)) return { page: 'groups' };
  if (first === 'security-groups' && second !== undefined) return { page: 'group', id: second };
  if (first === 'instances' && second === undefined) return { page: 'instances' };
  if (first === 'instances' && second !== undefined) return { page: 'instance', key: second };
  if (first === 'networks' && second === undefined) return { page: 'networks' };
  if (first === 'address-groups' && second === undefined) return { page: 'address-groups' };
  if (first === 'reachability' && second === undefined) return { page: 'reachability' };
  if (first === 'default-rules' && second === undefined) return { page: 'default-rules' };
  if (first === 'audit' && second === undefined) return { page: 'audit' };
  return { page: 'not-found', path: pathname };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'groups': return '/security-groups';
    case 'group': return `/security-groups/${encodeURIComponent(route.id)}`;
    case 'instances': return '/instances';
    case 'instance': return `/instances/${encodeURIComponent(route.key)}`;
    case 'networks': return '/networks';
    case 'address-groups': return '/address-groups';
    case 'reachability': return '/reachability';
    case 'default-rules': return '/default-rules';
    case 'audit': return '/audit';
    case 'not-found': return route.path;
  }
}

const TITLES: Record<Route['page'], string> = {
  groups: 'Security groups', group: 'Security group', instances: 'Instances', instance: 'Instance',
  networks: 'Networks', 'address-groups': 'Address groups', reachability: 'Reachability', 'default-rules': 'Default rules', audit: 'Audit', 'not-found': 'Page not found',
};

/** The browser tab's title: the page, or the object it shows once its name is known, then the product. */
export function pageTitle(route: Route, objectName?: string): string {
  const page = TITLES[route.page];
  return objectName ? `${objectName} – ${page} – Palisade` : `${page} – Palisade`;
}
