// Terraform HCL for the OpenStack provider: `openstack_networking_secgroup_v2` and `openstack_networking_secgroup_rule_v2` (export only).
import type { SecurityGroupRuleWire } from '../../contract/index.js';
import { groupLabel, ruleWords, type ExportInput, type ExportResult, type Unmapped } from './transfer-model.js';

const GROUP = 'openstack_networking_secgroup_v2';
const RULE = 'openstack_networking_secgroup_rule_v2';

/** An HCL string literal: JSON's escapes, and `${`/`%{` doubled so Terraform does not read a template. */
function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}

/** A resource name Terraform accepts (letters, digits, `_`, `-`, not starting with a digit), unique in the file. */
function resourceNames(labels: readonly string[]): string[] {
  const used = new Set<string>();
  return labels.map((label) => {
    const base = (label.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'group').replace(/^(?=[0-9-])/, 'g_');
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  });
}

function block(kind: string, name: string, attributes: readonly [string, string][]): string {
  const width = Math.max(...attributes.map(([k]) => k.length));
  return [`resource "${kind}" "${name}" {`, ...attributes.map(([k, v]) => `  ${k.padEnd(width)} = ${v}`), '}', ''].join('\n');
}

function ruleAttributes(r: SecurityGroupRuleWire, group: string, refs: ReadonlyMap<string, string>): [string, string][] {
  const attrs: [string, string][] = [['security_group_id', `${GROUP}.${group}.id`], ['direction', hclString(r.direction)], ['ethertype', hclString(r.ethertype)]];
  if (r.protocol !== null) attrs.push(['protocol', hclString(r.protocol)]);
  if (r.port_range_min !== null) attrs.push(['port_range_min', String(r.port_range_min)]);
  if (r.port_range_max !== null) attrs.push(['port_range_max', String(r.port_range_max)]);
  if (r.remote_ip_prefix !== null) attrs.push(['remote_ip_prefix', hclString(r.remote_ip_prefix)]);
  if (r.remote_group_id !== null) {
    const ref = refs.get(r.remote_group_id);
    attrs.push(['remote_group_id', ref === undefined ? hclString(r.remote_group_id) : `${GROUP}.${ref}.id`]);
  }
  if (r.description !== '') attrs.push(['description', hclString(r.description)]);
  return attrs;
}

/**
 * One `openstack_networking_secgroup_v2` per group, with `delete_default_rules = true` so the group holds exactly
 * the exported rules (the two automatic egress rules are exported as rules of their own), and one
 * `openstack_networking_secgroup_rule_v2` per rule; remote groups exported too are referenced, others kept by id.
 */
export function exportTerraform(input: ExportInput): ExportResult {
  const unmapped: Unmapped[] = [];
  const managed = input.groups.filter((g) => {
    if (g.name !== 'default') return true;
    unmapped.push({ group: groupLabel(g), item: `group ${g.id}`, reason: `a project's default group cannot be created by ${GROUP}; export it with --format neutron` });
    return false;
  });
  const names = resourceNames(managed.map(groupLabel));
  const refs = new Map(managed.map((g, i) => [g.id, names[i]!]));
  const out = ['# Written by `palisade export --format terraform`.', ''];
  managed.forEach((g, i) => {
    const name = names[i]!;
    out.push(block(GROUP, name, [['name', hclString(g.name)], ['description', hclString(g.description)], ['stateful', String(g.stateful)], ['delete_default_rules', 'true']]));
    let n = 0;
    for (const r of g.security_group_rules ?? []) {
      if (r.remote_address_group_id) {
        unmapped.push({ group: groupLabel(g), item: ruleWords(r), reason: `remote address groups are not arguments of ${RULE}` });
        continue;
      }
      out.push(block(RULE, `${name}_${r.direction}_${++n}`, ruleAttributes(r, name, refs)));
    }
  });
  return { text: out.join('\n'), unmapped };
}
