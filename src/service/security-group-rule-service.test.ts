// The rule service's own duplicate check (§7.4), apart from the store's unique index that backs it up.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../domain/index.js';
import { createSqliteStore, type Store, type StoreSession } from '../store/index.js';
import { makeRequestContext } from './request-context.js';
import { createSecurityGroupRuleService } from './security-group-rule-service.js';
import { createSecurityGroupService } from './security-group-service.js';
import { NEUTRON_QUOTA_DEFAULTS, type ServiceDeps } from './service-deps.js';

/** The store, with every rule insert that reaches it counted: a refusal by the service never gets there. */
function countingInserts(store: Store): { store: Store; inserts: () => number } {
  let inserts = 0;
  const session = (s: StoreSession): StoreSession =>
    new Proxy(s, {
      get(target, key, receiver) {
        if (key === 'insertRules') return (...args: Parameters<StoreSession['insertRules']>) => (inserts++, target.insertRules(...args));
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const wrapped = new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'transaction') return <T>(work: (s: StoreSession) => Promise<T>) => target.transaction((s) => work(session(s)));
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, inserts: () => inserts };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

describe('duplicate rules, layer by layer', () => {
  it('the service refuses a duplicate before writing (the store index is only the backstop for races)', async () => {
    const raw = await createSqliteStore(':memory:');
    close = () => raw.close();
    const { store, inserts } = countingInserts(raw);
    const deps: ServiceDeps = { store, now: () => new Date('2026-03-01T10:00:00Z'), newId: randomUUID, quotaDefaults: NEUTRON_QUOTA_DEFAULTS, onCommit: () => {} };
    const ctx = makeRequestContext('p1', ['member']);
    const [group] = await createSecurityGroupService(deps).create(ctx, [{ name: 'web' }]);
    const rules = createSecurityGroupRuleService(deps);
    const draft = { securityGroupId: group!.group.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 };
    const [first] = await rules.create(ctx, [draft]);
    const before = inserts();
    const err = await rules.create(ctx, [draft]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ code: 'SecurityGroupRuleExists', message: `Security group rule already exists. Rule id is ${first!.rule.id}.` });
    expect(inserts()).toBe(before);
  });
});
