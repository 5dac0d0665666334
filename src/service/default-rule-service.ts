// Use cases of default security-group rule templates: list, show, create, delete (neutron-api.md §4.4, D1–D8).
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  parseDefaultRuleTemplate,
  ruleIdentity,
  templatesOverlap,
  type DefaultRuleTemplate,
  type DefaultRuleTemplateDraft,
} from '../domain/index.js';
import type { ListQuery, Page } from '../store/index.js';
import type { RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';
import { inTransaction } from './unit-of-work.js';

function templateNotFound(id: string): NotFoundError {
  return new NotFoundError('DefaultSecurityGroupRuleNotFound', `Default Security Group rule ${id} does not exist`);
}

/** Neutron's policies: any reader lists and shows, only an admin creates and deletes (D1). */
function assertAdmin(ctx: RequestContext, action: 'create' | 'delete'): void {
  if (!ctx.isAdmin) throw new ForbiddenError('PolicyNotAuthorized', `rule:${action}_default_security_group_rule is disallowed by policy`);
}

/** D6, D7: no two templates of one request, nor a new and an existing one, put the same rule into one kind of group. */
function checkDuplicatesInRequest(parsed: readonly Omit<DefaultRuleTemplate, 'id' | 'createdAt'>[]): void {
  parsed.forEach((t, i) => {
    const twin = parsed.slice(0, i).find((o) => templatesOverlap(o, t) && ruleIdentity('', o) === ruleIdentity('', t));
    if (twin) throw new ConflictError('DuplicateDefaultSgRuleInPost', 'Duplicate Default Security Group Rule in POST.');
  });
}

export function createDefaultRuleService(deps: ServiceDeps) {
  return {
    async list(_ctx: RequestContext, query: ListQuery): Promise<Page<DefaultRuleTemplate>> {
      return deps.store.listDefaultRulePage(query);
    },

    async get(_ctx: RequestContext, id: string): Promise<DefaultRuleTemplate> {
      const [found] = await deps.store.listDefaultRules({ ids: [id] });
      if (!found) throw templateNotFound(id);
      return found;
    },

    /** Creates templates atomically; they shape only the groups created afterwards. */
    async create(ctx: RequestContext, drafts: readonly DefaultRuleTemplateDraft[]): Promise<DefaultRuleTemplate[]> {
      assertAdmin(ctx, 'create');
      const parsed = drafts.map(parseDefaultRuleTemplate);
      checkDuplicatesInRequest(parsed);
      return inTransaction(deps, ctx, async (uow) => {
        const out: DefaultRuleTemplate[] = [];
        for (const p of parsed) {
          const template: DefaultRuleTemplate = { ...p, id: deps.newId(), createdAt: uow.at };
          const existing = (await uow.session.listDefaultRules({ sameRuleAs: template })).find((o) => templatesOverlap(o, template));
          if (existing) {
            throw new ConflictError('DefaultSecurityGroupRuleExists', `Default Security group rule already exists. Rule id is ${existing.id}.`);
          }
          await uow.session.insertDefaultRule(template);
          out.push(template);
        }
        return out;
      });
    },

    async delete(ctx: RequestContext, id: string): Promise<void> {
      await inTransaction(deps, ctx, async (uow) => {
        const [found] = await uow.session.listDefaultRules({ ids: [id] });
        if (!found) throw templateNotFound(id);
        assertAdmin(ctx, 'delete');
        await uow.session.deleteDefaultRule(id);
      });
    },
  };
}

export type DefaultRuleService = ReturnType<typeof createDefaultRuleService>;
