// /v2.0/palisade/…: the policy engine's answers — effective rules, explain a flow, reachability, matrix.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { InvalidInputError, parseEtherType, parseProtocol, protocolMeaning, type EtherType } from '../domain/index.js';
import type { Flow, MatrixService, ServiceSpec } from '../engine/index.js';
import type { Services } from '../service/index.js';
import { values, type Query } from './list-query.js';
import { idParam, query } from './route-helpers.js';

const TAGS = { tags: ['analysis'] };

const INT = { type: 'integer' } as const;
const STR = { type: 'string' } as const;
const FLOW_SCHEMA = {
  type: 'object',
  required: ['flow'],
  properties: {
    flow: {
      type: 'object',
      required: ['port_id', 'direction', 'protocol', 'remote_ip'],
      properties: {
        port_id: STR, direction: { type: 'string', enum: ['ingress', 'egress'] }, ethertype: { type: 'string', enum: ['IPv4', 'IPv6'] },
        protocol: { description: 'name or number; a flow has one protocol' }, remote_ip: { ...STR, description: 'source of an ingress flow, destination of an egress one' },
        local_ip: STR, port: INT, source_port: INT, icmp_type: INT, icmp_code: INT,
      },
    },
  },
} as const;
const REACH_QUERY = {
  type: 'object',
  required: ['source_port_id', 'destination_port_id', 'protocol'],
  properties: { source_port_id: STR, destination_port_id: STR, protocol: STR, port: INT, icmp_type: INT, icmp_code: INT, ethertype: STR },
} as const;
const MATRIX_QUERY = {
  type: 'object',
  properties: { project_id: STR, service: { ...STR, description: 'protocol[:port] or icmp:type[:code]; repeat or comma-separate' }, ethertype: STR },
} as const;
const LINT_QUERY = { type: 'object', properties: { security_group_id: STR, port_id: STR } } as const;
const WHAT_IF_SCHEMA = {
  type: 'object',
  required: ['changes'],
  properties: {
    changes: {
      type: 'array',
      description: 'changes in the change log shape: {action, resource, id?, object?}',
      items: { type: 'object', properties: { action: STR, resource: STR, id: STR, object: { type: 'object' } } },
    },
  },
} as const;
const FLOW_KEYS = ['port_id', 'direction', 'ethertype', 'protocol', 'remote_ip', 'local_ip', 'port', 'source_port', 'icmp_type', 'icmp_code'];

function bad(message: string, path = ''): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', message, path);
}

/** A concrete protocol (name or number), normalised as rules store it; a flow cannot be "any protocol". */
function concreteProtocol(value: unknown, etherType: EtherType): string {
  const parsed = parseProtocol(typeof value === 'number' ? value : String(value ?? ''), etherType);
  if (parsed === null || protocolMeaning(parsed).number === null) {
    throw bad(`Invalid input for protocol. Reason: a flow has one protocol, not '${String(value)}'.`, 'protocol');
  }
  return parsed;
}

function protocolNumber(value: unknown, etherType: EtherType): number {
  return protocolMeaning(concreteProtocol(value, etherType)).number!;
}

function optionalInt(value: unknown, name: string, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) throw bad(`Invalid input for ${name}. Reason: '${String(value)}' is not an integer from 0 to ${max}.`, name);
  return n;
}

function readFlow(body: unknown): { portId: string; flow: Flow } {
  const f = typeof body === 'object' && body !== null ? (body as { flow?: unknown }).flow : undefined;
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw bad("Unable to find 'flow' in request body");
  const item = f as Record<string, unknown>;
  const unknown = Object.keys(item).filter((k) => !FLOW_KEYS.includes(k));
  if (unknown.length > 0) throw bad(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  for (const k of ['port_id', 'direction', 'protocol', 'remote_ip']) {
    if (item[k] === undefined) throw bad(`Failed to parse request. Required attribute '${k}' not specified`, k);
  }
  if (item['direction'] !== 'ingress' && item['direction'] !== 'egress') throw bad(`Invalid input for direction. Reason: ${String(item['direction'])} is not in ['ingress', 'egress'].`, 'direction');
  const etherType = item['ethertype'] === undefined ? (String(item['remote_ip']).includes(':') ? 'IPv6' : 'IPv4') : parseEtherType(item['ethertype']);
  if (typeof item['remote_ip'] !== 'string') throw bad('Invalid input for remote_ip. Reason: not a string.', 'remote_ip');
  if (item['local_ip'] !== undefined && typeof item['local_ip'] !== 'string') throw bad('Invalid input for local_ip. Reason: not a string.', 'local_ip');
  const port = optionalInt(item['port'], 'port', 65535);
  const sourcePort = optionalInt(item['source_port'], 'source_port', 65535);
  const icmpType = optionalInt(item['icmp_type'], 'icmp_type', 255);
  const icmpCode = optionalInt(item['icmp_code'], 'icmp_code', 255);
  const flow: Flow = {
    direction: item['direction'],
    etherType,
    protocol: protocolNumber(item['protocol'], etherType),
    remoteIp: item['remote_ip'],
    ...(typeof item['local_ip'] === 'string' && { localIp: item['local_ip'] }),
    ...(port !== undefined && { port }),
    ...(sourcePort !== undefined && { sourcePort }),
    ...(icmpType !== undefined && { icmpType }),
    ...(icmpCode !== undefined && { icmpCode }),
  };
  return { portId: String(item['port_id']), flow };
}

/** `tcp:22`, `udp:53`, `icmp:8:0`, `6:443`, `gre`: protocol, then port (or ICMP type and code). */
function parseService(text: string, etherType: EtherType | undefined): MatrixService {
  const [proto = '', a, b, ...rest] = text.split(':');
  if (rest.length > 0 || proto === '') throw bad(`Invalid service '${text}': use protocol[:port] or icmp:type[:code].`, 'service');
  const protocol = concreteProtocol(proto, etherType ?? 'IPv4');
  const isIcmp = protocolMeaning(protocol).hasIcmpTypeCode;
  const first = optionalInt(a, isIcmp ? 'icmp_type' : 'port', isIcmp ? 255 : 65535);
  const second = optionalInt(b, 'icmp_code', 255);
  if (!isIcmp && second !== undefined) throw bad(`Invalid service '${text}': only ICMP takes a code.`, 'service');
  return {
    protocol,
    name: text,
    ...(etherType && { etherType }),
    ...(isIcmp ? { ...(first !== undefined && { icmpType: first }), ...(second !== undefined && { icmpCode: second }) } : first !== undefined ? { port: first } : {}),
  };
}

function only(q: Query, allowed: readonly string[]): void {
  const unknown = Object.keys(q).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw bad(`[${unknown.map((k) => `'${k}'`).join(', ')}] is invalid attribute for filtering`);
}

/** The worker built the whole body: this thread writes the bytes as they are (no parse, no stringify). */
function sendBody(reply: FastifyReply, body: Uint8Array): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

export function registerAnalysisRoutes(app: FastifyInstance, services: Services): void {
  const analysis = services.analysis;

  app.get('/v2.0/palisade/ports/:id/effective-rules', { schema: { ...TAGS, summary: "A port's merged policy, each rule with its origin groups" } }, async (request, reply) => {
    only(query(request), []);
    return sendBody(reply, await analysis.effectiveRules(request.palisade, idParam(request)));
  });

  app.post('/v2.0/palisade/explain', { schema: { ...TAGS, summary: 'Why a flow is allowed or denied at a port', body: FLOW_SCHEMA } }, async (request, reply) => {
    const { portId, flow } = readFlow(request.body);
    return sendBody(reply, await analysis.explain(request.palisade, { portId, ...flow }));
  });

  app.get('/v2.0/palisade/reachability', { schema: { ...TAGS, summary: 'Can one port reach another on a service', querystring: REACH_QUERY } }, async (request, reply) => {
    const q = query(request);
    only(q, ['source_port_id', 'destination_port_id', 'protocol', 'port', 'icmp_type', 'icmp_code', 'ethertype']);
    const from = values(q, 'source_port_id')[0];
    const to = values(q, 'destination_port_id')[0];
    const proto = values(q, 'protocol')[0];
    if (!from || !to || !proto) throw bad('source_port_id, destination_port_id and protocol are required');
    const ethertypeRaw = values(q, 'ethertype')[0];
    const etherType = ethertypeRaw === undefined ? undefined : parseEtherType(ethertypeRaw);
    const port = optionalInt(values(q, 'port')[0], 'port', 65535);
    const icmpType = optionalInt(values(q, 'icmp_type')[0], 'icmp_type', 255);
    const icmpCode = optionalInt(values(q, 'icmp_code')[0], 'icmp_code', 255);
    const service: ServiceSpec = {
      protocol: concreteProtocol(proto, etherType ?? 'IPv4'),
      ...(etherType && { etherType }),
      ...(port !== undefined && { port }),
      ...(icmpType !== undefined && { icmpType }),
      ...(icmpCode !== undefined && { icmpCode }),
    };
    return sendBody(reply, await analysis.reachability(request.palisade, from, to, service));
  });

  app.get('/v2.0/palisade/lint', { schema: { ...TAGS, summary: "What is wrong with a project's rules: findings with a code, severity, objects and a fix", querystring: LINT_QUERY } }, async (request, reply) => {
    const q = query(request);
    only(q, ['security_group_id', 'port_id']);
    const securityGroupId = values(q, 'security_group_id')[0];
    const portId = values(q, 'port_id')[0];
    return sendBody(reply, await analysis.lint(request.palisade, { ...(securityGroupId && { securityGroupId }), ...(portId && { portId }) }));
  });

  app.post('/v2.0/palisade/what-if', { schema: { ...TAGS, summary: 'The difference proposed changes would make (access, exposure, findings); nothing is applied', body: WHAT_IF_SCHEMA } }, async (request, reply) => {
    return sendBody(reply, await analysis.whatIf(request.palisade, request.body));
  });

  app.get('/v2.0/palisade/matrix', { schema: { ...TAGS, summary: 'Which instances of a project reach which, per service', querystring: MATRIX_QUERY } }, async (request, reply) => {
    const q = query(request);
    only(q, ['project_id', 'service', 'ethertype']);
    const ethertypeRaw = values(q, 'ethertype')[0];
    const etherType = ethertypeRaw === undefined ? undefined : parseEtherType(ethertypeRaw);
    const svc = values(q, 'service').flatMap((s) => s.split(',')).filter((s) => s.length > 0).map((s) => parseService(s, etherType));
    const projectId = values(q, 'project_id')[0] ?? request.palisade.projectId;
    return sendBody(reply, await analysis.matrix(request.palisade, projectId, svc));
  });
}
