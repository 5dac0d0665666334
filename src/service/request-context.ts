// Who is asking: the project and roles of a request, whatever authenticated it (noauth or tokens).

export interface RequestContext {
  readonly projectId: string;
  readonly roles: readonly string[];
  readonly isAdmin: boolean;
}

export function makeRequestContext(projectId: string, roles: readonly string[]): RequestContext {
  const lower = roles.map((r) => r.toLowerCase());
  return { projectId, roles: lower, isAdmin: lower.includes('admin') };
}
