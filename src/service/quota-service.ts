// Quotas per project (neutron-api.md §4.6, §11): limits with -1 = unlimited, checked inside write transactions.
import { InvalidInputError, parseProjectId, QuotaExceededError } from '../domain/index.js';
import type { QuotaResource, StoreSession } from '../store/index.js';
import { canRead } from './access-policy.js';
import type { RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';
import { ForbiddenError, NotFoundError, parseBoolean } from '../domain/index.js';

export const QUOTA_RESOURCES: readonly QuotaResource[] = ['network', 'subnet', 'port', 'security_group', 'security_group_rule', 'rbac_policy'];
const MAX_LIMIT = 2147483647;

export type QuotaSet = Record<QuotaResource, number>;

export interface QuotaDetail {
  readonly used: number;
  readonly limit: number;
  readonly reserved: number;
}

export async function effectiveQuotas(deps: ServiceDeps, session: StoreSession, projectId: string): Promise<QuotaSet> {
  return { ...deps.quotaDefaults, ...(await session.getQuotaOverrides(projectId)) };
}

/** Refuses (409 OverQuota) when adding `adding[r]` objects would pass a limit. Call inside the write. */
export async function checkQuota(
  deps: ServiceDeps,
  session: StoreSession,
  projectId: string,
  adding: Partial<Record<QuotaResource, number>>,
): Promise<void> {
  const limits = await effectiveQuotas(deps, session, projectId);
  const over: QuotaResource[] = [];
  for (const [resource, n] of Object.entries(adding) as [QuotaResource, number][]) {
    const limit = limits[resource];
    if (limit < 0 || n === 0) continue;
    if ((await session.count(resource, projectId)) + n > limit) over.push(resource);
  }
  if (over.length > 0) throw new QuotaExceededError(over);
}

function assertCanReadQuota(ctx: RequestContext, projectId: string): void {
  if (!canRead(ctx, projectId)) throw new NotFoundError('HTTPNotFound', 'The resource could not be found.');
}

function assertAdmin(ctx: RequestContext): void {
  if (!ctx.isAdmin) throw new ForbiddenError('PolicyNotAuthorized', "Rule:update_quota is disallowed by policy");
}

function parseLimit(resource: string, value: unknown): number {
  const n = typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -1 || n > MAX_LIMIT) {
    throw InvalidInputError.of(
      'HTTPBadRequest',
      `Invalid input for ${resource}. Reason: '${String(value)}' is not in range -1 through ${MAX_LIMIT}.`,
      resource,
    );
  }
  return n;
}

export function createQuotaService(deps: ServiceDeps) {
  return {
    async get(ctx: RequestContext, projectId: string): Promise<QuotaSet> {
      assertCanReadQuota(ctx, projectId);
      return effectiveQuotas(deps, deps.store, projectId);
    },

    defaults(ctx: RequestContext, projectId: string): QuotaSet {
      assertCanReadQuota(ctx, projectId);
      return { ...deps.quotaDefaults };
    },

    async details(ctx: RequestContext, projectId: string): Promise<Record<QuotaResource, QuotaDetail>> {
      assertCanReadQuota(ctx, projectId);
      const limits = await effectiveQuotas(deps, deps.store, projectId);
      const out = {} as Record<QuotaResource, QuotaDetail>;
      for (const r of QUOTA_RESOURCES) out[r] = { used: await deps.store.count(r, projectId), limit: limits[r], reserved: 0 };
      return out;
    },

    async list(ctx: RequestContext): Promise<{ projectId: string; quotas: QuotaSet }[]> {
      const projects = ctx.isAdmin ? await deps.store.listQuotaProjects() : [ctx.projectId];
      const out = [];
      for (const p of projects) out.push({ projectId: p, quotas: await effectiveQuotas(deps, deps.store, p) });
      return out;
    },

    /**
     * Admin only. A limit below current usage is accepted, as in Neutron Zed; only `check_limit: true`
     * refuses it, and `force: true` skips that check (Neutron's quota-check-limit).
     */
    async update(ctx: RequestContext, projectId: string, changes: Record<string, unknown>): Promise<QuotaSet> {
      assertAdmin(ctx);
      parseProjectId(projectId, 'project_id');
      const { force, check_limit: checkLimit, ...limits } = changes;
      const parsed: [QuotaResource, number][] = [];
      for (const [resource, value] of Object.entries(limits)) {
        if (!(QUOTA_RESOURCES as readonly string[]).includes(resource)) {
          throw InvalidInputError.of('HTTPBadRequest', `Unrecognized attribute(s) '${resource}'`, resource);
        }
        parsed.push([resource as QuotaResource, parseLimit(resource, value)]);
      }
      const forced = force === undefined ? false : parseBoolean(force, 'force');
      const enforceUsage = (checkLimit === undefined ? false : parseBoolean(checkLimit, 'check_limit')) && !forced;
      return deps.store.transaction(async (session) => {
        for (const [resource, limit] of parsed) {
          if (enforceUsage && limit >= 0) {
            const used = await session.count(resource, projectId);
            if (limit < used) {
              throw InvalidInputError.of(
                'InvalidInput',
                `Invalid input for operation: Quota limit ${limit} for ${resource} must be greater than or equal to already used ${used}.`,
              );
            }
          }
          await session.setQuotaOverride(projectId, resource, limit);
        }
        return effectiveQuotas(deps, session, projectId);
      });
    },

    async reset(ctx: RequestContext, projectId: string): Promise<void> {
      assertAdmin(ctx);
      await deps.store.deleteQuotaOverrides(projectId);
    },
  };
}

export type QuotaService = ReturnType<typeof createQuotaService>;
