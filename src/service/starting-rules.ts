// The rules a new group starts with, read from the default rule templates at creation time (neutron-api.md §8.2, §8.3).
import { NotFoundError, rulesFromTemplates, type RuleSpec, type TemplateUse } from '../domain/index.js';
import type { StoreSession } from '../store/index.js';

/** The templates for one kind of group; a group created later sees whatever the templates are then. */
export async function loadStartingTemplates(session: StoreSession, use: TemplateUse) {
  return session.listDefaultRules({ usedIn: use });
}

/**
 * The starting rules of group `groupId`. A template may name any group as remote (Neutron does not check);
 * one that no longer exists fails the create with the rule's own error (S21) instead of a broken reference.
 */
export async function startingRules(
  session: StoreSession, templates: Awaited<ReturnType<typeof loadStartingTemplates>>, groupId: string,
): Promise<RuleSpec[]> {
  const specs = rulesFromTemplates(templates, groupId);
  const remotes = [...new Set(specs.flatMap((s) => (s.remoteGroupId !== null && s.remoteGroupId !== groupId ? [s.remoteGroupId] : [])))];
  if (remotes.length > 0) {
    const found = new Set((await session.listGroups({ ids: remotes })).map((g) => g.id));
    const missing = remotes.find((id) => !found.has(id));
    if (missing !== undefined) throw new NotFoundError('SecurityGroupNotFound', `Security group ${missing} does not exist`);
  }
  return specs;
}
