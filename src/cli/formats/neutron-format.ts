// Neutron JSON: what the API answers (`{"security_groups": […]}`, `{"security_group": {…}}`) and `openstack security group show -f json`.
import type { RuleSetRuleWire, RuleSetWire } from '../../contract/index.js';
import { FormatError, groupLabel, parseJson, prefixOrAny, uniqueNames, type ExportInput, type ExportResult, type ImportResult, type Unmapped } from './transfer-model.js';

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The groups of a file, whichever of the shapes it has. */
function groupsOf(doc: unknown): Obj[] {
  if (Array.isArray(doc)) return doc.filter(isObject);
  if (!isObject(doc)) throw new FormatError('a Neutron file is a JSON object or a list of groups');
  if (Array.isArray(doc['security_groups'])) return doc['security_groups'].filter(isObject);
  if (isObject(doc['security_group'])) return [doc['security_group']];
  if ('name' in doc || 'rules' in doc || 'security_group_rules' in doc) return [doc];
  throw new FormatError('no security group in the file: expected "security_groups", "security_group", or a group object');
}

/**
 * Older openstack clients print each rule as one string, `direction='ingress', ethertype='IPv4', port_range_max='22', …`;
 * newer ones as objects. Both are read.
 */
function ruleObject(rule: unknown): Obj | undefined {
  if (isObject(rule)) return rule;
  if (typeof rule !== 'string') return undefined;
  const out: Obj = {};
  for (const m of rule.matchAll(/([a-z_]+)='((?:[^'\\]|\\.)*)'/g)) {
    const [, key, value] = m as unknown as [string, string, string];
    out[key] = /^(port_range_min|port_range_max)$/.test(key) ? Number(value) : value === 'None' ? null : value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function port(v: unknown): number | null {
  return typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : null;
}

export function importNeutron(source: string): ImportResult {
  const groups = groupsOf(parseJson(source));
  const names = new Map(groups.filter((g) => typeof g['id'] === 'string' && typeof g['name'] === 'string').map((g) => [g['id'] as string, g['name'] as string]));
  const unmapped: Unmapped[] = [];
  const sets = groups.map((g): RuleSetWire => {
    const name = text(g['name']) ?? '';
    const label = name || String(g['id'] ?? '');
    const rawRules = (g['security_group_rules'] ?? g['rules'] ?? []) as unknown[];
    const rules: RuleSetRuleWire[] = [];
    for (const raw of Array.isArray(rawRules) ? rawRules : []) {
      const r = ruleObject(raw);
      if (!r || (r['direction'] !== 'ingress' && r['direction'] !== 'egress')) {
        unmapped.push({ group: label, item: JSON.stringify(raw), reason: 'not a rule: no direction ingress or egress' });
        continue;
      }
      const remoteGroup = text(r['remote_group_id']);
      const rule: RuleSetRuleWire = {
        direction: r['direction'], ethertype: r['ethertype'] === 'IPv6' ? 'IPv6' : 'IPv4', protocol: (r['protocol'] as string | number | null | undefined) ?? null,
        port_range_min: port(r['port_range_min']), port_range_max: port(r['port_range_max']), remote_ip_prefix: prefixOrAny(text(r['remote_ip_prefix'])),
        ...(remoteGroup === null ? {} : names.has(remoteGroup) ? { remote_group_name: names.get(remoteGroup)! } : { remote_group_id: remoteGroup }),
        ...(text(r['remote_address_group_id']) !== null && { remote_address_group_id: text(r['remote_address_group_id']) }),
        description: text(r['description']) ?? '',
      };
      rules.push(rule);
    }
    return { name, ...(typeof g['description'] === 'string' && { description: g['description'] }), security_group_rules: rules };
  });
  return { groups: sets, unmapped };
}

/** The API's own objects, as `GET /v2.0/security-groups` lists them: re-importing gives the same rules. */
export function exportNeutron(input: ExportInput): ExportResult {
  // A remote group outside the export is kept by id; its name helps a reader, but Neutron has no field for it.
  const named = uniqueNames(input.groups);
  const unmapped: Unmapped[] = input.groups.filter((g) => g.name !== '' && !named.has(g.id)).map((g) => ({
    group: groupLabel(g), item: `group ${g.id}`, reason: 'another exported group has the same name: an import matches groups by name, so rename one first',
  }));
  return { text: `${JSON.stringify({ security_groups: input.groups }, null, 2)}\n`, unmapped };
}
