// /v2.0/palisade/security-groups/{id}/copy and the rule-set endpoints: whole rule sets in one transaction (docs/import-export.md).
import type { FastifyInstance } from 'fastify';
import type { RuleSetApplyResponseWire } from '../contract/index.js';
import { InvalidInputError } from '../domain/index.js';
import { ruleSpecToWire, type RuleSetDraft, type RuleSetOutcome, type RuleSetRuleDraft, type Services } from '../service/index.js';
import { idParam } from './route-helpers.js';
import { groupViewToWire, ruleToWire } from './wire-mappers.js';

const TAGS = { tags: ['palisade'] };
const RULE_KEYS = [
  'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id', 'remote_group_name',
  'remote_address_group_id', 'description',
];
const SET_KEYS = ['id', 'name', 'description', 'security_group_rules'];

type Obj = Record<string, unknown>;

function bad(message: string, path = ''): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', message, path);
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectWith(value: unknown, keys: readonly string[], what: string): Obj {
  if (!isObject(value)) throw bad(`Object '${what}' contains invalid data`);
  const unknown = Object.keys(value).filter((k) => !keys.includes(k));
  if (unknown.length > 0) throw bad(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  return value;
}

function readRule(value: unknown): RuleSetRuleDraft {
  const r = objectWith(value, RULE_KEYS, 'security_group_rule');
  if (r['direction'] === undefined) throw bad("Failed to parse request. Required attribute 'direction' not specified", 'direction');
  return {
    direction: r['direction'], etherType: r['ethertype'], protocol: r['protocol'], portRangeMin: r['port_range_min'], portRangeMax: r['port_range_max'],
    remoteIpPrefix: r['remote_ip_prefix'], remoteGroupId: r['remote_group_id'], remoteGroupName: r['remote_group_name'],
    remoteAddressGroupId: r['remote_address_group_id'], description: r['description'],
  };
}

function readRules(value: unknown): RuleSetRuleDraft[] {
  if (!Array.isArray(value)) throw bad("Object 'security_group_rules' contains invalid data", 'security_group_rules');
  return value.map(readRule);
}

function readDryRun(body: Obj): boolean {
  const v = body['dry_run'];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw bad("'dry_run' must be true or false", 'dry_run');
  return v;
}

/** Created rules name a remote group of the same request too: in a dry run, that group's id is not kept. */
function outcomesToWire(outcomes: readonly RuleSetOutcome[], dryRun: boolean): RuleSetApplyResponseWire {
  const names = new Map(outcomes.map((o) => [o.id, o.name]));
  return {
    dry_run: dryRun,
    security_groups: outcomes.map((o) => ({
      id: dryRun && o.action === 'create' ? null : o.id, name: o.name, action: o.action,
      created: o.created.map((r) => ({ ...ruleSpecToWire(r), ...(r.remoteGroupId !== null && names.has(r.remoteGroupId) && { remote_group_name: names.get(r.remoteGroupId)! }) })),
      deleted: o.deleted.map((r) => ruleToWire(r, false)), unchanged: o.unchanged.map((r) => ruleToWire(r, false)),
    })),
  };
}

export function registerRuleSetRoutes(app: FastifyInstance, services: Services): void {
  app.post('/v2.0/palisade/security-groups/:id/copy', { schema: { ...TAGS, summary: 'Copy a group with its rules into a new group' } }, async (request, reply) => {
    const body = request.body === undefined || request.body === null ? {} : objectWith(request.body, ['security_group'], 'body');
    const draft = body['security_group'] === undefined ? {} : objectWith(body['security_group'], ['name', 'description', 'project_id'], 'security_group');
    const view = await services.ruleSets.copy(request.palisade, idParam(request), { name: draft['name'], description: draft['description'], projectId: draft['project_id'] });
    void reply.status(201).send({ security_group: groupViewToWire(view) });
  });

  // `::` is Fastify's escaped colon: the path is …/rules:apply, Google's custom-method style.
  app.post('/v2.0/palisade/security-groups/:id/rules::apply', { schema: { ...TAGS, summary: 'Make a group hold exactly these rules (atomic)' } }, async (request) => {
    const body = objectWith(request.body, ['security_group_rules', 'dry_run'], 'body');
    const dryRun = readDryRun(body);
    const outcomes = await services.ruleSets.apply(request.palisade, [{ id: idParam(request), rules: readRules(body['security_group_rules']) }], dryRun);
    return outcomesToWire(outcomes, dryRun);
  });

  app.post('/v2.0/palisade/security-groups::apply', { schema: { ...TAGS, summary: 'Make groups hold exactly these rules, creating missing groups (atomic)' } }, async (request) => {
    const body = objectWith(request.body, ['security_groups', 'dry_run'], 'body');
    const dryRun = readDryRun(body);
    const list = body['security_groups'];
    if (!Array.isArray(list) || list.length === 0) throw bad("'security_groups' must be a non-empty list", 'security_groups');
    const drafts: RuleSetDraft[] = list.map((item) => {
      const s = objectWith(item, SET_KEYS, 'security_group');
      return { id: s['id'], name: s['name'], description: s['description'], rules: readRules(s['security_group_rules'] ?? []) };
    });
    return outcomesToWire(await services.ruleSets.apply(request.palisade, drafts, dryRun), dryRun);
  });
}
