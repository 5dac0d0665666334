// Default security-group rule templates: the rules new groups start with (neutron-api.md §3.4, §4.4, D1–D8).
import { InvalidInputError } from './errors.js';
import { parseRuleSpec, type RuleDraft, type RuleSpec } from './security-group-rule.js';
import { parseBoolean } from './text-attribute.js';

/** A template's `remote_group_id` meaning "the group being created". */
export const PARENT_GROUP = 'PARENT';

export interface DefaultRuleTemplate extends RuleSpec {
  readonly id: string;
  /** Copied into each project's `default` group when it is created. */
  readonly usedInDefaultSg: boolean;
  /** Copied into every other new group. */
  readonly usedInNonDefaultSg: boolean;
  readonly createdAt: string;
}

export interface DefaultRuleTemplateDraft extends RuleDraft {
  readonly usedInDefaultSg?: unknown;
  readonly usedInNonDefaultSg?: unknown;
}

export type TemplateUse = 'default' | 'non-default';

function requiredFlag(value: unknown, attribute: string): boolean {
  // The attribute map gives these no default, so Neutron refuses a POST without them (its api-ref says otherwise).
  if (value === undefined) {
    throw InvalidInputError.of('HTTPBadRequest', `Failed to parse request. Required attribute '${attribute}' not specified`, attribute);
  }
  return parseBoolean(value, attribute);
}

/** Validates a template as Neutron validates a rule's own attributes (S2–S20); the remotes are not looked up. */
export function parseDefaultRuleTemplate(draft: DefaultRuleTemplateDraft): Omit<DefaultRuleTemplate, 'id' | 'createdAt'> {
  if (draft.direction === undefined) {
    throw InvalidInputError.of('HTTPBadRequest', "Failed to parse request. Required attribute 'direction' not specified", 'direction');
  }
  const usedInDefaultSg = requiredFlag(draft.usedInDefaultSg, 'used_in_default_sg');
  const usedInNonDefaultSg = requiredFlag(draft.usedInNonDefaultSg, 'used_in_non_default_sg');
  return { ...parseRuleSpec(draft), usedInDefaultSg, usedInNonDefaultSg };
}

/** Whether two templates would put a rule into the same kind of group (only then can they collide). */
export function templatesOverlap(a: Pick<DefaultRuleTemplate, 'usedInDefaultSg' | 'usedInNonDefaultSg'>, b: typeof a): boolean {
  return (a.usedInDefaultSg && b.usedInDefaultSg) || (a.usedInNonDefaultSg && b.usedInNonDefaultSg);
}

/** The rules a new group gets from the templates: `PARENT` becomes the group's id, descriptions stay empty as in Neutron. */
export function rulesFromTemplates(templates: readonly DefaultRuleTemplate[], groupId: string): RuleSpec[] {
  return templates.map((t) => ({
    direction: t.direction,
    etherType: t.etherType,
    protocol: t.protocol,
    portRangeMin: t.portRangeMin,
    portRangeMax: t.portRangeMax,
    remoteIpPrefix: t.remoteIpPrefix,
    remoteGroupId: t.remoteGroupId === PARENT_GROUP ? groupId : t.remoteGroupId,
    remoteAddressGroupId: t.remoteAddressGroupId,
    description: '',
  }));
}
