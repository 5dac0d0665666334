// Use cases of ports: create, update (all-or-nothing), delete, with the security-group rules of neutron-api.md (§3.5, §4.7).
import { randomBytes } from 'node:crypto';
import {
  addressInSubnet,
  ConflictError,
  firstFreeAddress,
  InvalidInputError,
  isTrustedPort,
  NotFoundError,
  parseBoolean,
  parseString,
  tryParseCidr,
  type FixedIp,
  type Port,
  type SecurityGroup,
  type Subnet,
} from '../domain/index.js';
import type { ListQuery, Page, StoreSession } from '../store/index.js';
import { assertWritable, readerOf, targetProject, visibleOrNotFound } from './access-policy.js';
import { ensureDefaultGroupIn } from './default-group.js';
import { usableNetwork } from './network-service.js';
import { sharedGroupIds } from './group-sharing.js';
import { parseAllowedAddressPairs, parseBindingProfile, parseFixedIpRequests, parseMacAddress, parseSecurityGroupList } from './port-fields.js';
import { assertPortAttributesAllowed } from './port-policy.js';
import { checkQuota } from './quota-service.js';
import type { RequestContext } from './request-context.js';
import { checkRevision } from './security-group-service.js';
import type { ServiceDeps } from './service-deps.js';
import { createAll, inTransaction, type UnitOfWork } from './unit-of-work.js';

export interface PortDraft {
  readonly networkId?: unknown;
  readonly name?: unknown;
  readonly description?: unknown;
  readonly macAddress?: unknown;
  readonly fixedIps?: unknown;
  readonly deviceId?: unknown;
  readonly deviceOwner?: unknown;
  readonly hostId?: unknown;
  readonly bindingProfile?: unknown;
  readonly adminStateUp?: unknown;
  readonly securityGroups?: unknown;
  readonly portSecurityEnabled?: unknown;
  readonly allowedAddressPairs?: unknown;
  readonly projectId?: unknown;
  readonly tenantId?: unknown;
}

function randomMac(): string {
  return ['fa', '16', '3e', ...[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** Every requested group must exist and be the port project's own or shared with it (§12); all must agree on statefulness. */
export async function resolveGroups(session: StoreSession, projectId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Map((await session.listGroups({ ids })).map((g) => [g.id, g] as const));
  const shared = await sharedGroupIds(session, projectId);
  const missing = ids.filter((id) => found.get(id)?.projectId !== projectId && !(found.has(id) && shared.has(id)));
  if (missing.length > 0) throw new NotFoundError('SecurityGroupNotFound', `Security group ${missing.join(', ')} does not exist`);
  const groups = ids.map((id) => found.get(id)!) as SecurityGroup[];
  if (new Set(groups.map((g) => g.stateful)).size > 1) {
    throw new ConflictError(
      'SecurityGroupConflict',
      'Error Cannot apply both stateful and stateless security groups on the same port at the same time while attempting the operation.',
    );
  }
}

async function allocateFixedIps(session: StoreSession, networkId: string, requested: unknown, currentPortIps: readonly FixedIp[]): Promise<FixedIp[]> {
  const subnets = await session.listSubnets({ networkIds: [networkId] });
  const taken = new Set(await session.listAllocatedIps(networkId));
  for (const ip of currentPortIps) taken.delete(ip.ipAddress);
  const out: FixedIp[] = [];
  const requests = requested === undefined ? defaultRequests(subnets) : parseFixedIpRequests(requested);
  for (const r of requests) {
    const ip = pickAddress(subnets, r, taken);
    taken.add(ip.ipAddress);
    out.push(ip);
  }
  return out;
}

/** One address from the first subnet of each IP version, as Neutron does for a port without fixed_ips. */
function defaultRequests(subnets: readonly Subnet[]): { subnetId: string; ipAddress: null }[] {
  const out = [];
  for (const version of [4, 6]) {
    const s = subnets.find((x) => x.ipVersion === version);
    if (s) out.push({ subnetId: s.id, ipAddress: null });
  }
  return out;
}

function pickAddress(subnets: readonly Subnet[], r: { subnetId: string | null; ipAddress: string | null }, taken: Set<string>): FixedIp {
  const candidates = r.subnetId ? subnets.filter((s) => s.id === r.subnetId) : subnets;
  if (r.subnetId && candidates.length === 0) throw new NotFoundError('SubnetNotFound', `Subnet ${r.subnetId} could not be found.`);
  if (r.ipAddress !== null) {
    for (const s of candidates) {
      const address = addressInSubnet(tryParseCidr(s.cidr)!, r.ipAddress);
      if (address === null) continue;
      if (taken.has(address)) {
        throw new ConflictError('IpAddressAlreadyAllocated', `IP address ${address} already allocated in subnet ${s.id}`);
      }
      return { subnetId: s.id, ipAddress: address };
    }
    const where = r.subnetId ? 'InvalidIpForSubnet' : 'InvalidIpForNetwork';
    throw InvalidInputError.of(where, `IP address ${r.ipAddress} is not a valid IP for the specified ${r.subnetId ? 'subnet' : 'network'}.`, 'fixed_ips');
  }
  const s = candidates[0]!;
  const address = firstFreeAddress(tryParseCidr(s.cidr)!, s.gatewayIp, taken);
  if (address === null) throw new ConflictError('IpAddressGenerationFailure', `No more IP addresses available on subnet ${s.id}.`);
  return { subnetId: s.id, ipAddress: address };
}

/** The port's profile after a draft: replaced whole when given, an empty one left out. */
function profileOf(value: unknown, current: Port['bindingProfile']): Pick<Port, 'bindingProfile'> {
  const profile = value === undefined ? current ?? {} : parseBindingProfile(value);
  return Object.keys(profile).length === 0 ? {} : { bindingProfile: profile };
}

function text(value: unknown, attribute: string, fallback: string): string {
  return value === undefined ? fallback : parseString(value, attribute);
}

export function createPortService(deps: ServiceDeps) {
  const notFound = (id: string) => new NotFoundError('PortNotFound', `Port ${id} could not be found.`);

  /** Applies a draft to a port (new or existing) and checks every cross-field rule. */
  async function build(uow: UnitOfWork, base: Port, d: PortDraft, isCreate: boolean): Promise<Port> {
    const portSecurity = d.portSecurityEnabled === undefined ? base.portSecurityEnabled : parseBoolean(d.portSecurityEnabled, 'port_security_enabled');
    const deviceOwner = text(d.deviceOwner, 'device_owner', base.deviceOwner);
    let groups = base.securityGroupIds;
    if (d.securityGroups !== undefined) groups = parseSecurityGroupList(d.securityGroups);
    else if (isCreate && portSecurity && !isTrustedPort({ deviceOwner })) groups = [await ensureDefaultGroupIn(deps, uow, base.projectId)];
    if (!portSecurity && groups.length > 0) {
      if (d.securityGroups !== undefined || isCreate) {
        throw InvalidInputError.of('PortSecurityAndIPRequiredForSecurityGroups', 'Port security must be enabled and port must have an IP address in order to use security groups.');
      }
      throw new ConflictError('PortSecurityPortHasSecurityGroup', 'Port has security group associated. Cannot disable port security or ip address until security group is removed');
    }
    const mac = d.macAddress === undefined ? base.macAddress : parseMacAddress(d.macAddress);
    const pairs = d.allowedAddressPairs === undefined ? base.allowedAddressPairs : parseAllowedAddressPairs(d.allowedAddressPairs, mac);
    if (!portSecurity && pairs.length > 0) {
      throw new ConflictError('AddressPairAndPortSecurityRequired', 'Port Security must be enabled in order to have allowed address pairs on a port.');
    }
    await resolveGroups(uow.session, base.projectId, groups);
    const fixedIps = isCreate || d.fixedIps !== undefined
      ? await allocateFixedIps(uow.session, base.networkId, d.fixedIps, isCreate ? [] : base.fixedIps)
      : base.fixedIps;
    const { bindingProfile: _replaced, ...unprofiled } = base;
    return {
      ...unprofiled,
      name: text(d.name, 'name', base.name),
      description: text(d.description, 'description', base.description),
      deviceId: text(d.deviceId, 'device_id', base.deviceId),
      deviceOwner,
      hostId: text(d.hostId, 'binding:host_id', base.hostId),
      ...profileOf(d.bindingProfile, base.bindingProfile),
      adminStateUp: d.adminStateUp === undefined ? base.adminStateUp : parseBoolean(d.adminStateUp, 'admin_state_up'),
      macAddress: mac,
      portSecurityEnabled: portSecurity,
      securityGroupIds: groups,
      allowedAddressPairs: pairs,
      fixedIps,
    };
  }

  async function createIn(ctx: RequestContext, uow: UnitOfWork, d: PortDraft): Promise<Port> {
    const projectId = targetProject(ctx, d.projectId, d.tenantId);
    if (d.networkId === undefined) {
      throw InvalidInputError.of('HTTPBadRequest', "Failed to parse request. Required attribute 'network_id' not specified", 'network_id');
    }
    assertPortAttributesAllowed(ctx, 'create_port', d);
    const networkId = parseString(d.networkId, 'network_id', 36);
    const found = usableNetwork(ctx, (await uow.session.listNetworks({ ids: [networkId] }))[0], networkId, projectId, 'port');
    await ensureDefaultGroupIn(deps, uow, projectId);
    await checkQuota(deps, uow.session, projectId, { port: 1 });
    const base: Port = {
      id: deps.newId(), projectId, networkId, name: '', description: '', macAddress: randomMac(), fixedIps: [],
      deviceId: '', deviceOwner: '', hostId: '', adminStateUp: true, securityGroupIds: [],
      portSecurityEnabled: found.portSecurityEnabled, allowedAddressPairs: [],
      revisionNumber: 1, createdAt: uow.at, updatedAt: uow.at,
    };
    const port = await build(uow, base, d, true);
    await uow.session.insertPort(port);
    await uow.record('port', 'create', port.id, projectId, port);
    return port;
  }

  return {
    /** One page of the caller's ports (admin: every port); `inGroups` keeps ports in one of those groups. */
    async list(ctx: RequestContext, query: ListQuery, inGroups?: readonly string[]): Promise<Page<Port>> {
      return deps.store.listPortPage(query, readerOf(ctx), inGroups);
    },

    async get(ctx: RequestContext, id: string): Promise<Port> {
      const [port] = await deps.store.listPorts({ ids: [id] });
      return visibleOrNotFound(ctx, port, 'PortNotFound', `Port ${id} could not be found.`);
    },

    async create(ctx: RequestContext, d: PortDraft): Promise<Port> {
      return inTransaction(deps, ctx, (uow) => createIn(ctx, uow, d));
    },

    /** Creates several ports atomically (a bulk POST): all of them, or none. */
    async createMany(ctx: RequestContext, drafts: readonly PortDraft[]): Promise<Port[]> {
      return createAll(deps, ctx, drafts, (uow, d) => createIn(ctx, uow, d));
    },

    async update(ctx: RequestContext, id: string, d: PortDraft, expectedRevision?: number): Promise<Port> {
      if (d.networkId !== undefined) throw InvalidInputError.of('HTTPBadRequest', 'Cannot update read-only attribute network_id', 'network_id');
      return inTransaction(deps, ctx, async (uow) => {
        const [found] = await uow.session.listPorts({ ids: [id] });
        const current = visibleOrNotFound(ctx, found, 'PortNotFound', `Port ${id} could not be found.`);
        assertWritable(ctx, current.projectId);
        assertPortAttributesAllowed(ctx, 'update_port', d);
        checkRevision(current.revisionNumber, expectedRevision);
        await ensureDefaultGroupIn(deps, uow, current.projectId);
        const built = await build(uow, current, d, false);
        if (JSON.stringify(built) === JSON.stringify(current)) return current;
        const next = { ...built, revisionNumber: current.revisionNumber + 1, updatedAt: uow.at };
        await uow.session.updatePort(next);
        await uow.record('port', 'update', id, next.projectId, next, current);
        return next;
      });
    },

    async delete(ctx: RequestContext, id: string, expectedRevision?: number): Promise<void> {
      await inTransaction(deps, ctx, async (uow) => {
        const [found] = await uow.session.listPorts({ ids: [id] });
        if (!found) throw notFound(id);
        const port = visibleOrNotFound(ctx, found, 'PortNotFound', `Port ${id} could not be found.`);
        assertWritable(ctx, port.projectId);
        checkRevision(port.revisionNumber, expectedRevision);
        await uow.session.deletePort(id);
        await uow.record('port', 'delete', id, port.projectId, null, port);
      });
    },
  };
}

export type PortService = ReturnType<typeof createPortService>;
