// `palisade group list|show|create|update|delete|copy`: security groups by name or id.
import type { Command } from 'commander';
import type { SecurityGroupRuleWire, SecurityGroupWire } from '../contract/index.js';
import {
  emit, emitObject, PalisadeApi, PROCESS_IO, resolveNamed, UsageError, withConnection, withFormat,
  type CliIo, type Column, type ConnectionFlags, type Format,
} from './cli-kit.js';
import { ruleText } from './rule-words.js';

type Flags = ConnectionFlags & { format: Format };

const COLUMNS: readonly Column<SecurityGroupWire>[] = [
  ['id', (g) => g.id], ['name', (g) => g.name], ['description', (g) => g.description], ['project_id', (g) => g.project_id],
  ['rules', (g) => g.security_group_rules?.length ?? ''],
];

/** The fields `group show` prints as a table; rules one per line. */
function showFields(names: ReadonlyMap<string, string>): Column<Record<string, unknown>>[] {
  return [
    ...['id', 'name', 'description', 'project_id', 'stateful', 'shared', 'tags', 'revision_number', 'created_at', 'updated_at'].map(
      (f): Column<Record<string, unknown>> => [f, (g) => g[f]],
    ),
    ['rules', (g) => ((g['security_group_rules'] ?? []) as SecurityGroupRuleWire[]).map((r) => ruleText(r, names)).join('; ')],
  ];
}

export function printGroup(io: CliIo, format: Format, group: SecurityGroupWire): void {
  const names = new Map([[group.id, group.name]]);
  if (format !== 'table') return emitObject(io, format, group as unknown as Record<string, unknown>, showFields(names));
  emitObject(io, format, { ...group, security_group_rules: [] }, showFields(names).slice(0, -1));
  for (const r of group.security_group_rules ?? []) io.print(`  ${r.id}  ${ruleText(r, names)}`);
}

async function groupOf(api: PalisadeApi, nameOrId: string): Promise<SecurityGroupWire> {
  const { id } = await resolveNamed(api, 'security-groups', nameOrId);
  return (await api.get<{ security_group: SecurityGroupWire }>(`/v2.0/security-groups/${id}`)).security_group;
}

export function registerGroupCommands(program: Command, io: CliIo = PROCESS_IO): void {
  const group = program.command('group').description('security groups: list, show, create, update, delete, copy');
  const sub = (spec: string, description: string) => withFormat(withConnection(group.command(spec).description(description)));

  sub('list', 'list the security groups you see')
    .option('--project <id>', 'only this project\'s groups (admins see every project)')
    .action(async (o: Flags & { project?: string }) => {
      const api = await PalisadeApi.connect(io, o);
      const query = o.project ? `?project_id=${encodeURIComponent(o.project)}` : '';
      const { security_groups: groups } = await api.get<{ security_groups: SecurityGroupWire[] }>(`/v2.0/security-groups${query}`);
      emit(io, o.format, groups, COLUMNS);
    });

  sub('show <group>', 'a group and its rules (name or id)').action(async (nameOrId: string, o: Flags) => {
    printGroup(io, o.format, await groupOf(await PalisadeApi.connect(io, o), nameOrId));
  });

  sub('create <name>', 'create a group (with Neutron\'s two allow-all egress rules)')
    .option('--description <text>', 'what the group is for')
    .option('--stateless', 'a stateless group: replies need rules of their own')
    .action(async (name: string, o: Flags & { description?: string; stateless?: boolean }) => {
      const body = { security_group: { name, ...(o.description !== undefined && { description: o.description }), ...(o.stateless && { stateful: false }) } };
      const api = await PalisadeApi.connect(io, o);
      printGroup(io, o.format, (await api.call<{ security_group: SecurityGroupWire }>('POST', '/v2.0/security-groups', body)).security_group);
    });

  sub('update <group>', 'rename a group, change its description or statefulness')
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description')
    .option('--stateful', 'make it stateful')
    .option('--stateless', 'make it stateless')
    .action(async (nameOrId: string, o: Flags & { name?: string; description?: string; stateful?: boolean; stateless?: boolean }) => {
      if (o.stateful && o.stateless) throw new UsageError('--stateful and --stateless contradict each other');
      const changes = {
        ...(o.name !== undefined && { name: o.name }), ...(o.description !== undefined && { description: o.description }),
        ...(o.stateful && { stateful: true }), ...(o.stateless && { stateful: false }),
      };
      if (Object.keys(changes).length === 0) throw new UsageError('nothing to update: give --name, --description, --stateful or --stateless');
      const api = await PalisadeApi.connect(io, o);
      const { id } = await resolveNamed(api, 'security-groups', nameOrId);
      printGroup(io, o.format, (await api.call<{ security_group: SecurityGroupWire }>('PUT', `/v2.0/security-groups/${id}`, { security_group: changes })).security_group);
    });

  withConnection(group.command('delete <group...>').description('delete groups (names or ids)')).action(async (names: string[], o: ConnectionFlags) => {
    const api = await PalisadeApi.connect(io, o);
    for (const nameOrId of names) {
      const found = await resolveNamed(api, 'security-groups', nameOrId);
      await api.call('DELETE', `/v2.0/security-groups/${found.id}`);
      io.print(`deleted security group ${found.name} (${found.id})`);
    }
  });

  sub('copy <group>', 'a new group with the same rules (and no extra egress rules)')
    .option('--name <name>', 'name of the copy (default: the source\'s name plus " (copy)")')
    .option('--description <text>', 'description of the copy (default: the source\'s)')
    .action(async (nameOrId: string, o: Flags & { name?: string; description?: string }) => {
      const api = await PalisadeApi.connect(io, o);
      const { id } = await resolveNamed(api, 'security-groups', nameOrId);
      const body = { security_group: { ...(o.name !== undefined && { name: o.name }), ...(o.description !== undefined && { description: o.description }) } };
      printGroup(io, o.format, (await api.call<{ security_group: SecurityGroupWire }>('POST', `/v2.0/palisade/security-groups/${id}/copy`, body)).security_group);
    });
}
