// Ports (an instance's network interfaces): the model and what security groups need of it (§3.5, §10).

export interface FixedIp {
  readonly subnetId: string;
  readonly ipAddress: string;
}

export interface AllowedAddressPair {
  /** An address or a CIDR. */
  readonly ipAddress: string;
  readonly macAddress: string;
}

export interface Port {
  readonly id: string;
  readonly projectId: string;
  readonly networkId: string;
  readonly name: string;
  readonly description: string;
  readonly macAddress: string;
  readonly fixedIps: readonly FixedIp[];
  /** The instance this port belongs to; an instance is the set of ports sharing a device id. */
  readonly deviceId: string;
  readonly deviceOwner: string;
  readonly hostId: string;
  /** `binding:profile`: what the binding driver needs (admin-only, as in Neutron); absent means `{}`. */
  readonly bindingProfile?: Readonly<Record<string, unknown>>;
  readonly adminStateUp: boolean;
  readonly securityGroupIds: readonly string[];
  readonly portSecurityEnabled: boolean;
  readonly allowedAddressPairs: readonly AllowedAddressPair[];
  readonly revisionNumber: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `network:*` ports (DHCP, routers) are trusted: never filtered and never given groups. */
export function isTrustedPort(port: Pick<Port, 'deviceOwner'>): boolean {
  return port.deviceOwner.startsWith('network:');
}

export const MAX_ALLOWED_ADDRESS_PAIRS = 10;
