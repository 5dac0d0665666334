// Use cases of address groups: CRUD, add/remove addresses, sharing through RBAC (Neutron's address-group extension).
import {
  ADDRESS_GROUP_DESCRIPTION_LENGTH,
  InUseError,
  InvalidInputError,
  NotFoundError,
  formatAddressList,
  isSharedWith,
  parseAddressChange,
  parseAddressList,
  parseString,
  RBAC_WILDCARD,
  type AddressGroup,
} from '../domain/index.js';
import type { ListQuery, Page, StoreSession } from '../store/index.js';
import { assertWritable, canRead, readerOf, targetProject } from './access-policy.js';
import type { RequestContext } from './request-context.js';
import { checkRevision } from './security-group-service.js';
import type { ServiceDeps } from './service-deps.js';
import { createAll, inTransaction, type UnitOfWork } from './unit-of-work.js';

export interface AddressGroupDraft {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly addresses?: unknown;
  readonly projectId?: unknown;
  readonly tenantId?: unknown;
}

export function addressGroupNotFound(id: string): NotFoundError {
  return new NotFoundError('AddressGroupNotFound', `Address group ${id} could not be found.`);
}

/** True when `projectId` owns the address group or an RBAC policy shares it with that project. */
export async function canProjectUseAddressGroup(session: StoreSession, group: AddressGroup, projectId: string): Promise<boolean> {
  if (group.projectId === projectId) return true;
  const policies = await session.listRbacPolicies({ objectIds: [group.id], targetProjects: [projectId, RBAC_WILDCARD] });
  return isSharedWith(policies.filter((p) => p.objectType === 'address_group'), projectId);
}

/** The group as the caller may see it (admin, owner, or shared with the caller's project), else 404. */
export async function visibleAddressGroup(ctx: RequestContext, session: StoreSession, id: string): Promise<AddressGroup> {
  const [group] = await session.listAddressGroups({ ids: [id] });
  if (!group || !(canRead(ctx, group.projectId) || (await canProjectUseAddressGroup(session, group, ctx.projectId)))) {
    throw addressGroupNotFound(id);
  }
  return group;
}

const parseName = (v: unknown) => parseString(v, 'name');
const parseDescription = (v: unknown) => parseString(v, 'description', ADDRESS_GROUP_DESCRIPTION_LENGTH);

export function createAddressGroupService(deps: ServiceDeps) {
  async function createIn(ctx: RequestContext, uow: UnitOfWork, d: AddressGroupDraft): Promise<AddressGroup> {
    const projectId = targetProject(ctx, d.projectId, d.tenantId);
    const group: AddressGroup = {
      id: deps.newId(), projectId,
      name: d.name === undefined ? '' : parseName(d.name),
      description: d.description === undefined ? '' : parseDescription(d.description),
      addresses: d.addresses === undefined ? [] : parseAddressList(d.addresses).sort(),
      revisionNumber: 1, createdAt: uow.at, updatedAt: uow.at,
    };
    await uow.session.insertAddressGroup(group);
    await uow.record('address_group', 'create', group.id, projectId, group);
    return (await uow.session.listAddressGroups({ ids: [group.id] }))[0]!;
  }

  /** Bumps the revision (every write does), records the group as it now is, and returns it. */
  async function touched(uow: UnitOfWork, group: AddressGroup, changes: Partial<AddressGroup> = {}): Promise<AddressGroup> {
    await uow.session.updateAddressGroup({ ...group, ...changes, revisionNumber: group.revisionNumber + 1, updatedAt: uow.at });
    const [after] = await uow.session.listAddressGroups({ ids: [group.id] });
    await uow.record('address_group', 'update', group.id, group.projectId, after);
    return after!;
  }

  /** The group the caller may change, at the revision `If-Match` names (when it names one). */
  async function writable(ctx: RequestContext, uow: UnitOfWork, id: string, expectedRevision?: number): Promise<AddressGroup> {
    const group = await visibleAddressGroup(ctx, uow.session, id);
    assertWritable(ctx, group.projectId);
    checkRevision(group.revisionNumber, expectedRevision);
    return group;
  }

  return {
    /** One page of the address groups the caller sees. */
    async list(ctx: RequestContext, query: ListQuery): Promise<Page<AddressGroup>> {
      return deps.store.listAddressGroupPage(query, readerOf(ctx));
    },

    async get(ctx: RequestContext, id: string): Promise<AddressGroup> {
      return visibleAddressGroup(ctx, deps.store, id);
    },

    /** Bulk POST: every group or none. */
    async create(ctx: RequestContext, drafts: readonly AddressGroupDraft[]): Promise<AddressGroup[]> {
      return createAll(deps, ctx, drafts, (uow, d) => createIn(ctx, uow, d));
    },

    /** Name and description only; addresses change through add/remove (Neutron: `allow_put` false). */
    async update(ctx: RequestContext, id: string, d: AddressGroupDraft, expectedRevision?: number): Promise<AddressGroup> {
      const changes = {
        ...(d.name !== undefined && { name: parseName(d.name) }),
        ...(d.description !== undefined && { description: parseDescription(d.description) }),
      };
      return inTransaction(deps, ctx, async (uow) => touched(uow, await writable(ctx, uow, id, expectedRevision), changes));
    },

    /** Neutron's add_addresses: all normalised addresses must be new, or 400 AddressesAlreadyExist naming those held. */
    async addAddresses(ctx: RequestContext, id: string, body: unknown): Promise<AddressGroup> {
      const addresses = parseAddressChange(addressesOf(body));
      return inTransaction(deps, ctx, async (uow) => {
        const group = await writable(ctx, uow, id);
        const held = await uow.session.heldAddresses(id, addresses);
        const present = addresses.filter((a) => held.has(a));
        if (present.length > 0) {
          throw InvalidInputError.of('AddressesAlreadyExist', `Addresses ${formatAddressList(present)} already exist in the address group ${id}.`, 'addresses');
        }
        await uow.session.addAddresses(id, addresses);
        return touched(uow, group);
      });
    },

    /** Neutron's remove_addresses: all must be held, or 404 AddressesNotFound naming those missing. */
    async removeAddresses(ctx: RequestContext, id: string, body: unknown): Promise<AddressGroup> {
      const addresses = parseAddressChange(addressesOf(body));
      return inTransaction(deps, ctx, async (uow) => {
        const group = await writable(ctx, uow, id);
        const held = await uow.session.heldAddresses(id, addresses);
        const missing = addresses.filter((a) => !held.has(a));
        if (missing.length > 0) {
          throw new NotFoundError('AddressesNotFound', `Addresses ${formatAddressList(missing)} not found in the address group ${id}.`);
        }
        await uow.session.removeAddresses(id, addresses);
        return touched(uow, group);
      });
    },

    /** A group a rule names cannot go (409 AddressGroupInUse, whichever project's rule it is). */
    async delete(ctx: RequestContext, id: string, expectedRevision?: number): Promise<void> {
      await inTransaction(deps, ctx, async (uow) => {
        const group = await writable(ctx, uow, id, expectedRevision);
        if (await uow.session.isAddressGroupInUse(id)) {
          throw new InUseError('AddressGroupInUse', `Address group ${id} is in use on one or more security group rules.`);
        }
        await uow.session.deleteAddressGroup(id);
        await uow.record('address_group', 'delete', id, group.projectId, null);
      });
    },
  };
}

/** The `addresses` of an action body `{"addresses": [...]}`; anything else is a 400 like Neutron's unparsable bodies. */
function addressesOf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('addresses' in body)) {
    throw InvalidInputError.of('HTTPBadRequest', "Failed to parse request. Required attribute 'addresses' not specified", 'addresses');
  }
  const extra = Object.keys(body).filter((k) => k !== 'addresses');
  if (extra.length > 0) throw InvalidInputError.of('HTTPBadRequest', `Unrecognized attribute(s) '${extra.join(', ')}'`, extra[0]);
  return (body as { addresses: unknown }).addresses;
}

export type AddressGroupService = ReturnType<typeof createAddressGroupService>;
