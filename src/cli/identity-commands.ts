// `palisade user|project|role …`: identity administration over HTTP, signed in with the standard OS_* variables.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { emit, PROCESS_IO, withFormat, type CliIo, type Format } from './cli-kit.js';
import { DEFAULT_AUTH_URL, IdentityClient } from './identity-client.js';

export type { CliIo } from './cli-kit.js';

type Named = {
  id: string;
  name: string;
};

interface AuthFlags {
  osAuthUrl?: string;
  osToken?: string;
  format: Format;
}

/** Rows in the chosen format, each column the row's field of that name. */
function output(io: CliIo, format: Format, columns: readonly string[], rows: readonly object[]): void {
  emit(io, format, rows, columns.map((c) => [c, (r: object) => (r as Record<string, unknown>)[c]] as const));
}

function withAuth(command: Command): Command {
  return withFormat(command
    .option('--os-auth-url <url>', `identity endpoint (default $OS_AUTH_URL, else $PALISADE_URL/identity/v3, else ${DEFAULT_AUTH_URL})`)
    .option('--os-token <token>', 'a token to use instead of signing in (default $OS_TOKEN)'));
}

function clientOf(io: CliIo, flags: AuthFlags): IdentityClient {
  const token = flags.osToken ?? io.env['OS_TOKEN'];
  const palisade = io.env['PALISADE_URL'];
  const authUrl = flags.osAuthUrl ?? io.env['OS_AUTH_URL'] ?? (palisade ? `${palisade.replace(/\/+$/, '')}/identity/v3` : DEFAULT_AUTH_URL);
  return new IdentityClient({ authUrl, ...(token && { token }) }, io.env);
}

/** A user or project by id, else by name (exactly one must match). */
async function resolve(client: IdentityClient, kind: 'users' | 'projects', nameOrId: string): Promise<Named> {
  const byName = (await client.call<Record<string, Named[]>>('GET', `/${kind}?name=${encodeURIComponent(nameOrId)}`))[kind] ?? [];
  if (byName.length === 1) return byName[0]!;
  const byId = await client.find<Record<string, Named>>(`/${kind}/${encodeURIComponent(nameOrId)}`);
  const found = byId?.[kind.slice(0, -1)];
  if (found) return found;
  throw new Error(`no ${kind.slice(0, -1)} named or with id '${nameOrId}'`);
}

function registerUserCommands(program: Command, io: CliIo): void {
  const user = program.command('user').description('users of the built-in identity (admin)');
  withAuth(user.command('create <name>').description('create a user; without --password a random one is printed once'))
    .option('--password <password>', 'the password')
    .action(async (name: string, o: AuthFlags & { password?: string }) => {
      // Hex: a secret starting with '-' would read as an option on command lines.
      const password = o.password ?? randomBytes(16).toString('hex');
      const created = (await clientOf(io, o).call<{ user: Named }>('POST', '/users', { user: { name, password } })).user;
      output(io, o.format, ['id', 'name'], [created]);
      if (o.password === undefined) io.print(`password: ${password}`);
    });
  withAuth(user.command('list').description('list users')).action(async (o: AuthFlags) => {
    const { users } = await clientOf(io, o).call<{ users: (Named & { enabled: boolean })[] }>('GET', '/users');
    output(io, o.format, ['id', 'name', 'enabled'], users);
  });
  withAuth(user.command('delete <user>').description('delete a user (name or id); its tokens stop working')).action(async (nameOrId: string, o: AuthFlags) => {
    const client = clientOf(io, o);
    const found = await resolve(client, 'users', nameOrId);
    await client.call('DELETE', `/users/${found.id}`);
    io.print(`deleted user ${found.name} (${found.id})`);
  });
}

function registerProjectCommands(program: Command, io: CliIo): void {
  const project = program.command('project').description('projects of the built-in identity (admin)');
  withAuth(project.command('create <name>').description('create a project'))
    .option('--description <text>', 'what the project is for', '')
    .action(async (name: string, o: AuthFlags & { description: string }) => {
      const body = { project: { name, description: o.description } };
      output(io, o.format, ['id', 'name', 'description'], [(await clientOf(io, o).call<{ project: Named }>('POST', '/projects', body)).project]);
    });
  withAuth(project.command('list').description('list projects')).action(async (o: AuthFlags) => {
    const { projects } = await clientOf(io, o).call<{ projects: Named[] }>('GET', '/projects');
    output(io, o.format, ['id', 'name', 'description'], projects);
  });
  withAuth(project.command('delete <project>').description('delete a project (name or id)')).action(async (nameOrId: string, o: AuthFlags) => {
    const client = clientOf(io, o);
    const found = await resolve(client, 'projects', nameOrId);
    await client.call('DELETE', `/projects/${found.id}`);
    io.print(`deleted project ${found.name} (${found.id})`);
  });
}

interface GrantFlags extends AuthFlags {
  user: string;
  project: string;
}

function registerRoleCommands(program: Command, io: CliIo): void {
  const role = program.command('role').description('role assignments: admin, member, reader on a project (admin)');
  const grant = (verb: 'add' | 'remove', method: 'PUT' | 'DELETE') =>
    withAuth(role.command(`${verb} <role>`).description(`${verb === 'add' ? 'grant' : 'revoke'} a role of a user on a project`))
      .requiredOption('--user <user>', 'user name or id')
      .requiredOption('--project <project>', 'project name or id')
      .action(async (name: string, o: GrantFlags) => {
        const client = clientOf(io, o);
        const [u, p] = [await resolve(client, 'users', o.user), await resolve(client, 'projects', o.project)];
        await client.call(method, `/projects/${p.id}/users/${u.id}/roles/${encodeURIComponent(name)}`);
        io.print(`${verb === 'add' ? 'granted' : 'revoked'} ${name}: user ${u.name} on project ${p.name}`);
      });
  grant('add', 'PUT');
  grant('remove', 'DELETE');
  withAuth(role.command('list').description('list role assignments, optionally of one user or on one project'))
    .option('--user <user>', 'user name or id')
    .option('--project <project>', 'project name or id')
    .action(async (o: AuthFlags & Partial<Pick<GrantFlags, 'user' | 'project'>>) => {
      const client = clientOf(io, o);
      const u = o.user === undefined ? undefined : await resolve(client, 'users', o.user);
      const p = o.project === undefined ? undefined : await resolve(client, 'projects', o.project);
      const query = new URLSearchParams({ ...(u && { 'user.id': u.id }), ...(p && { 'scope.project.id': p.id }) });
      type Assignment = { role: { name: string }; user: { id: string }; scope: { project: { id: string } } };
      const { role_assignments: list } = await client.call<{ role_assignments: Assignment[] }>('GET', `/role_assignments?${query}`);
      const users = new Map((await client.call<{ users: Named[] }>('GET', '/users')).users.map((x) => [x.id, x.name]));
      const projects = new Map((await client.call<{ projects: Named[] }>('GET', '/projects')).projects.map((x) => [x.id, x.name]));
      output(io, o.format, ['role', 'user', 'project'], list.map((a) => ({
        role: a.role.name, user: users.get(a.user.id) ?? a.user.id, project: projects.get(a.scope.project.id) ?? a.scope.project.id,
      })));
    });
}

/** Adds `user`, `project` and `role` to the palisade command. */
export function registerIdentityCommands(program: Command, io: CliIo = PROCESS_IO): void {
  registerUserCommands(program, io);
  registerProjectCommands(program, io);
  registerRoleCommands(program, io);
}
