// Public surface of the service layer: use cases, the request context, and the wiring of them all.
import { randomUUID } from 'node:crypto';
import type { Change } from '../domain/index.js';
import type { QuotaResource, Store } from '../store/index.js';
import { createChangeFeed } from './change-feed.js';
import { createHostFeed } from './host-feed.js';
import { createChangeFollower, type ChangesListener, type ResyncListener } from './change-follower.js';
import { createHistoryService } from './history-service.js';
import { createIdentityAdminService } from './identity-admin-service.js';
import { createIdentityService, type IdentityOptions } from './identity-service.js';
import { createDefaultRuleService } from './default-rule-service.js';
import { createAuditedIdentityWrite } from './identity-audit.js';
import { createNetworkService } from './network-service.js';
import { createAddressGroupService } from './address-group-service.js';
import { createRbacPolicyService } from './rbac-policy-service.js';
import { DEFAULT_ANALYSIS_LIMITS, type AnalysisLimits } from './analysis-limits.js';
import type { AnalysisDatabase } from './analysis-protocol.js';
import { createAnalysisWorker } from './analysis-worker-client.js';
import type { AnalysisRunner } from './analysis-questions.js';
import { createPolicyAnalysisService } from './policy-analysis-service.js';
import { createPortService } from './port-service.js';
import { createQuotaService } from './quota-service.js';
import { createSecurityGroupRuleService } from './security-group-rule-service.js';
import { createRuleSetService } from './rule-set-service.js';
import { createSecurityGroupService } from './security-group-service.js';
import { NEUTRON_QUOTA_DEFAULTS, type ServiceDeps } from './service-deps.js';
import { timed, type ServerMetrics } from './server-metrics.js';
import { checkReadiness } from './readiness.js';

export { makeRequestContext, type RequestContext } from './request-context.js';
export type { ListQuery, ListFilter, ListSort, FilterValue, TagFilter, Page } from '../store/index.js';
export type { SecurityGroupView, GroupDraft } from './security-group-service.js';
export type { RuleView, RuleRequest } from './security-group-rule-service.js';
export type { CopyDraft, RuleSetDraft, RuleSetRuleDraft, RuleSetOutcome } from './rule-set-service.js';
export type { PortDraft } from './port-service.js';
export type { NetworkDraft, SubnetDraft } from './network-service.js';
export type { QuotaSet, QuotaDetail } from './quota-service.js';
export { QUOTA_RESOURCES } from './quota-service.js';
export type { ChangePage } from './change-feed.js';
export { parseHost, type HostPage, type HostState } from './host-feed.js';
export type { FlowRequest, LintRequest } from './policy-analysis-service.js';
export type { AuditQuery } from './history-service.js';
export { createScheduler, SYSTEM_CLOCK, type Clock, type Job, type JobClaim, type Scheduler } from './scheduler.js';
export { periodicJobs, RULE_EXPIRY_EVERY_MS } from './periodic-jobs.js';
export { ruleSpecToWire } from './rule-spec-wire.js';
export { DEFAULT_ANALYSIS_LIMITS, type AnalysisLimits } from './analysis-limits.js';
export type { AnalysisDatabase } from './analysis-protocol.js';
export { NEUTRON_QUOTA_DEFAULTS } from './service-deps.js';
export type { Readiness } from './readiness.js';
export { createServerMetrics, sqlOperation, type ServerMetrics } from './server-metrics.js';
export type { IdentityService, TokenInfo, AuthMethod, ScopeRequest, DomainRef, UserRef, ProjectRef } from './identity-service.js';
export { hashToken } from './identity-service.js';
export type { RbacDraft } from './rbac-policy-service.js';
export type { AddressGroupDraft } from './address-group-service.js';
export type { IdentityAdminService, UserDraft, ProjectDraft } from './identity-admin-service.js';
export type { IdentityCaller } from './identity-audit.js';

export interface ServicesOptions {
  readonly store: Store;
  readonly quotaDefaults?: Partial<Record<QuotaResource, number>>;
  /** Changes kept in the log; older ones are compacted away (0 keeps everything). */
  readonly changeRetention?: number;
  /** Days every record survives compaction anyway, for history and audit (0: no minimum). */
  readonly historyRetentionDays?: number;
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** Lifetime of built-in identity tokens (default one hour). */
  readonly tokenTtlSeconds?: number;
  /**
   * The database the analysis worker opens for itself (the same file or PostgreSQL URL as `store`);
   * absent (an in-memory SQLite) the worker reads the change log through `store`, on this thread.
   */
  readonly analysisDatabase?: AnalysisDatabase;
  readonly analysisLimits?: Partial<AnalysisLimits>;
  /** The built-in identity's password check; tests wrap it to count or hold the comparisons. */
  readonly verifyPassword?: IdentityOptions['verifyPassword'];
  /** The server's metrics registry; absent (tests), nothing is measured. */
  readonly metrics?: ServerMetrics;
}

export function createServices(options: ServicesOptions) {
  const listeners = new Set<(changes: readonly Change[]) => void>();
  const now = options.now ?? (() => new Date());
  const feed = createChangeFeed(options.store, { changes: options.changeRetention ?? 0, historyDays: options.historyRetentionDays ?? 0, now });
  const follower = createChangeFollower(options.store);
  const deps: ServiceDeps = {
    store: follower.store,
    now,
    newId: options.newId ?? randomUUID,
    quotaDefaults: { ...NEUTRON_QUOTA_DEFAULTS, ...options.quotaDefaults },
    onCommit: (changes) => {
      feed.notify();
      for (const listener of listeners) listener(changes);
      follower.committed(changes);
    },
  };
  const ports = createPortService(deps);
  const audited = createAuditedIdentityWrite(deps);
  const analysisLimits = { ...DEFAULT_ANALYSIS_LIMITS, ...options.analysisLimits };
  // The engine lives in a worker thread, so no analysis can hold up this thread's requests.
  const analysisWorker = createAnalysisWorker({ store: options.store, database: options.analysisDatabase ?? null, limits: analysisLimits });
  let latestSeq = -1;
  listeners.add((changes) => {
    latestSeq = Math.max(latestSeq, changes.at(-1)?.seq ?? -1);
    analysisWorker.commit(changes);
  });
  // Another replica committed: wake long-pollers (the worker reads the log itself before each answer).
  const stopWatching = options.store.watchCommits(() => feed.notify());
  /** Changes committed (by any replica) that this replica's caches have not applied yet; 0 on SQLite. */
  const followerLag = async (): Promise<number> => {
    if (options.store.dialect === 'sqlite') return 0;
    return Math.max(0, (await options.store.latestChangeSeq()) - Math.max(follower.cursor, 0));
  };
  const metrics = options.metrics;
  const analysisRunner: AnalysisRunner = metrics ? {
    ask: (question, seq) => timed(metrics.analysisDuration, question.kind, () => analysisWorker.ask(question, seq)),
    close: () => analysisWorker.close(),
  } : analysisWorker;
  if (metrics) {
    metrics.sources.analysisQueueDepth = () => analysisWorker.pending;
    metrics.sources.changeSeq = () => options.store.latestChangeSeq();
    metrics.sources.followerLag = followerLag;
  }
  return {
    securityGroups: createSecurityGroupService(deps),
    rules: createSecurityGroupRuleService(deps),
    ruleSets: createRuleSetService(deps),
    defaultRules: createDefaultRuleService(deps),
    networks: createNetworkService(deps),
    ports,
    analysis: createPolicyAnalysisService(analysisRunner, ports, analysisLimits, () => latestSeq, deps.store, deps.now),
    quotas: createQuotaService(deps),
    history: createHistoryService(deps),
    identity: createIdentityService({ store: options.store.identity, now: deps.now, tokenTtlSeconds: options.tokenTtlSeconds ?? 3600, audited,
      ...(options.verifyPassword && { verifyPassword: options.verifyPassword }),
      ...(metrics && { onSignIn: (outcome: 'success' | 'failure' | 'locked') => metrics.signIns.inc({ outcome }) }),
    }),
    rbacPolicies: createRbacPolicyService(deps),
    addressGroups: createAddressGroupService(deps),
    identityAdmin: createIdentityAdminService(options.store.identity, deps.now, audited),
    changes: feed,
    hostFeeds: createHostFeed(follower.store, feed),
    followerLag,
    /** /readyz: the database answers, no migration is pending, and the caches are at most `maxLag` changes behind. */
    readiness: (maxLag: number) => checkReadiness(options.store, followerLag, maxLag),
    /** Loads the analysis engine in its worker now (the server calls this once it listens), not on the first question. */
    warmAnalysis(): void {
      analysisWorker.warm();
    },
    /** Stops following other replicas' commits and stops the analysis worker (before the store closes). */
    async stop(): Promise<void> {
      stopWatching();
      follower.stop();
      await analysisWorker.close();
    },
    /** Subscribes to this process's commits (the engine cache listens here). */
    onCommit(listener: (changes: readonly Change[]) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /**
     * Subscribes to other replicas' commits (PostgreSQL), read from the change log in seq order with
     * nothing skipped, soon after each commit's NOTIFY; never called on SQLite.
     */
    onExternalChanges(listener: ChangesListener): () => void {
      return follower.onExternalChanges(listener);
    },
    /** Every committed change, this replica's and the others', in one gap-free seq order. */
    onChanges(listener: ChangesListener): () => void {
      return follower.onChanges(listener);
    },
    /** The log was compacted past this replica's follower: caches must reload a snapshot. */
    onResync(listener: ResyncListener): () => void {
      return follower.onResync(listener);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
