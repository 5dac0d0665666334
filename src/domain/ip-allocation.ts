// Fixed-IP allocation from a subnet: the lowest free host address, skipping network, broadcast and gateway.
import { addressAt, cidrContains, cidrSize, formatIpAddress, tryParseIpAddress, type Cidr } from './cidr.js';

/** At most this many candidates are tried before a subnet is declared full. */
const MAX_PROBES = 1_000_000n;

/** Usable host offsets of a prefix: IPv4 below /31 skips network and broadcast, IPv6 skips the subnet-router anycast. */
function usableRange(cidr: Cidr): { first: bigint; last: bigint } {
  const size = cidrSize(cidr);
  const reserveEnds = cidr.version === 4 && cidr.prefixLength < 31;
  return { first: reserveEnds || cidr.version === 6 ? 1n : 0n, last: reserveEnds ? size - 2n : size - 1n };
}

/** Neutron's default allocation pool: the usable range without a gateway at either end. */
export function allocationPool(cidr: Cidr, gatewayIp: string | null): { start: string; end: string } | null {
  let { first, last } = usableRange(cidr);
  if (gatewayIp !== null && formatIpAddress(addressAt(cidr, first)) === gatewayIp) first++;
  if (gatewayIp !== null && formatIpAddress(addressAt(cidr, last)) === gatewayIp) last--;
  return first > last ? null : { start: formatIpAddress(addressAt(cidr, first)), end: formatIpAddress(addressAt(cidr, last)) };
}

export function firstFreeAddress(cidr: Cidr, gatewayIp: string | null, taken: ReadonlySet<string>): string | null {
  // IPv4 networks of /31 and /32 have no network or broadcast address to skip (RFC 3021).
  const { first, last } = usableRange(cidr);
  for (let offset = first; offset <= last && offset - first < MAX_PROBES; offset++) {
    const text = formatIpAddress(addressAt(cidr, offset));
    if (text !== gatewayIp && !taken.has(text)) return text;
  }
  return null;
}

/** The canonical spelling of an address when it lies inside the subnet, else null. */
export function addressInSubnet(cidr: Cidr, address: string): string | null {
  const ip = tryParseIpAddress(address);
  return ip && cidrContains(cidr, ip) ? formatIpAddress(ip) : null;
}
