// A group's rules as the console's CSV (download, upload, and the CLI's `--format csv`): the columns and the writer.
import { toCsv } from './csv-codec.js';
import type { SecurityGroupRuleWire, SecurityGroupWire } from './neutron-wire.js';

export const CSV_COLUMNS = ['direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group', 'description'] as const;

/**
 * The group's rules in the upload format, so a download can be edited and uploaded again, also into another group.
 * A remote group is written by name when `groups` has exactly one group of that name (people read names, and the
 * upload resolves them), by id otherwise.
 */
export function rulesToCsv(rules: readonly SecurityGroupRuleWire[], groups: readonly Pick<SecurityGroupWire, 'id' | 'name'>[] = []): string {
  const count = new Map<string, number>();
  for (const g of groups) count.set(g.name, (count.get(g.name) ?? 0) + 1);
  const names = new Map(groups.filter((g) => g.name !== '' && count.get(g.name) === 1).map((g) => [g.id, g.name]));
  const rows = rules.map((r) => [
    r.direction, r.ethertype, r.protocol ?? '', r.port_range_min === null ? '' : String(r.port_range_min),
    r.port_range_max === null ? '' : String(r.port_range_max), r.remote_ip_prefix ?? '', r.remote_group_id === null ? '' : (names.get(r.remote_group_id) ?? r.remote_group_id), r.description,
  ]);
  return toCsv([[...CSV_COLUMNS], ...rows]);
}

