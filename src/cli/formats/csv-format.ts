// The console's CSV: one group's rules under the header the console writes; several groups add a leading `security_group` column.
import { CSV_COLUMNS, CsvSyntaxError, parseCsv, rulesToCsv, toCsv, type RuleSetRuleWire, type RuleSetWire } from '../../contract/index.js';
import { FormatError, looksLikeId, prefixOrAny, type ExportInput, type ExportResult, type ImportResult, type Unmapped } from './transfer-model.js';

const GROUP_COLUMN = 'security_group';

function integerOrNull(text: string, what: string, line: number): number | null {
  if (text.trim() === '') return null;
  if (!/^-?[0-9]+$/.test(text.trim())) throw new FormatError(`line ${line}: ${what} '${text}' is not a whole number`);
  return Number(text.trim());
}

/**
 * Rules of one group (`group`, from --group) or, with a `security_group` column, of the groups it names. Values are
 * checked by the server, as the console's upload is; a remote group is a name unless it is an id.
 */
export function importCsv(source: string, group: string | undefined): ImportResult {
  let records;
  try {
    records = parseCsv(source);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new FormatError(`line ${e.line}: ${e.message}`);
    throw e;
  }
  const [head, ...rows] = records;
  if (!head) throw new FormatError('the file has no header line');
  const columns = head.fields.map((f) => f.trim().toLowerCase());
  const unknown = columns.filter((c) => c !== GROUP_COLUMN && !(CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new FormatError(`unknown column(s) ${unknown.join(', ')}; the header is ${[GROUP_COLUMN, ...CSV_COLUMNS].join(',')} (${GROUP_COLUMN} optional)`);
  if (!columns.includes('direction')) throw new FormatError("the header has no 'direction' column");
  const perGroup = columns.includes(GROUP_COLUMN);
  if (!perGroup && group === undefined) throw new FormatError(`a CSV file without a ${GROUP_COLUMN} column holds one group's rules: name the group with --group`);
  const sets = new Map<string, RuleSetRuleWire[]>();
  if (group !== undefined && !perGroup) sets.set(group, []);
  const unmapped: Unmapped[] = [];
  for (const row of rows) {
    const cell = (c: string) => row.fields[columns.indexOf(c)] ?? '';
    const target = group ?? cell(GROUP_COLUMN);
    if (row.fields.length !== columns.length) throw new FormatError(`line ${row.line}: expected ${columns.length} columns, found ${row.fields.length}`);
    const direction = cell('direction').trim().toLowerCase();
    if (direction !== 'ingress' && direction !== 'egress') throw new FormatError(`line ${row.line}: direction must be ingress or egress, not '${cell('direction')}'`);
    const remoteGroup = cell('remote_group').trim();
    const protocol = cell('protocol').trim();
    const rule: RuleSetRuleWire = {
      direction, ethertype: cell('ethertype').trim() === 'IPv6' || cell('ethertype').trim().toLowerCase() === 'ipv6' ? 'IPv6' : 'IPv4',
      protocol: protocol === '' || protocol.toLowerCase() === 'any' ? null : protocol,
      port_range_min: integerOrNull(cell('port_range_min'), 'port_range_min', row.line), port_range_max: integerOrNull(cell('port_range_max'), 'port_range_max', row.line),
      remote_ip_prefix: prefixOrAny(cell('remote_ip_prefix').trim()),
      ...(remoteGroup === '' ? {} : looksLikeId(remoteGroup) ? { remote_group_id: remoteGroup } : { remote_group_name: remoteGroup }),
      description: cell('description'),
    };
    sets.set(target, [...(sets.get(target) ?? []), rule]);
  }
  const groups = [...sets].map(([name, rules]): RuleSetWire => ({ ...(looksLikeId(name) ? { id: name } : { name }), security_group_rules: rules }));
  return { groups, unmapped };
}

/** One group: exactly the console's download. Several: the same rows behind a `security_group` column. */
export function exportCsv(input: ExportInput): ExportResult {
  if (input.groups.length === 1) return { text: rulesToCsv(input.groups[0]!.security_group_rules ?? [], [...input.names].map(([id, name]) => ({ id, name }))), unmapped: [] };
  const known = [...input.names].map(([id, name]) => ({ id, name }));
  const rows = input.groups.flatMap((g) => {
    const [, ...lines] = rulesToCsvRows(g.security_group_rules ?? [], known);
    return lines.map((l) => [g.name || g.id, ...l]);
  });
  return { text: toCsv([[GROUP_COLUMN, ...CSV_COLUMNS], ...rows]), unmapped: [] };
}

/** The console's rows (header first), parsed back from its writer so both stay one format. */
function rulesToCsvRows(rules: Parameters<typeof rulesToCsv>[0], groups: Parameters<typeof rulesToCsv>[1]): string[][] {
  return parseCsv(rulesToCsv(rules, groups)).map((r) => r.fields);
}
