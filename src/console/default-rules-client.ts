// The default rule templates API (neutron-api.md §4.4): what the console's "Default rules" page reads and changes.
import type { DefaultSecurityGroupRuleWire } from '../contract/index.js';
import { apiRequest } from './api-client.js';
import type { TemplateBody } from './default-rule-draft.js';

const PATH = '/v2.0/default-security-group-rules';

/** Every template, in a stable order: direction, then ether type. */
export async function listDefaultRules(): Promise<DefaultSecurityGroupRuleWire[]> {
  const query = '?sort_key=direction&sort_dir=desc&sort_key=ethertype&sort_dir=asc';
  return (await apiRequest<{ default_security_group_rules: DefaultSecurityGroupRuleWire[] }>('GET', `${PATH}${query}`)).default_security_group_rules;
}

export async function createDefaultRule(body: TemplateBody): Promise<DefaultSecurityGroupRuleWire> {
  return (await apiRequest<{ default_security_group_rule: DefaultSecurityGroupRuleWire }>('POST', PATH, { default_security_group_rule: body }))
    .default_security_group_rule;
}

export async function deleteDefaultRule(id: string): Promise<void> {
  await apiRequest<unknown>('DELETE', `${PATH}/${encodeURIComponent(id)}`);
}
