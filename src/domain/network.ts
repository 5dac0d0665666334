// Networks and subnets: the minimum that ports need (an L2 segment and its address pools).
import type { IpVersion } from './cidr.js';

export interface Network {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly description: string;
  readonly adminStateUp: boolean;
  readonly portSecurityEnabled: boolean;
  readonly shared: boolean;
  /** Neutron's `router:external` (extension `external-net`): set by admins only. */
  readonly routerExternal: boolean;
  readonly revisionNumber: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Neutron's `global_physnet_mtu` default: the MTU of a network without tunnel overhead, which every network has here. */
export const NETWORK_MTU = 1500;

export interface Subnet {
  readonly id: string;
  readonly projectId: string;
  readonly networkId: string;
  readonly name: string;
  readonly description: string;
  readonly ipVersion: IpVersion;
  /** Network form, e.g. `10.0.0.0/24`. */
  readonly cidr: string;
  readonly gatewayIp: string | null;
  readonly enableDhcp: boolean;
  readonly revisionNumber: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}
