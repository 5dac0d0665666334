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
  readonly revisionNumber: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

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
