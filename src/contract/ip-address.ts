// IP addresses and CIDR prefixes (IPv4 and IPv6): the one parser, canonical text, host-bit normalisation, containment.
// ipaddr.js is plain JavaScript with no Node built-ins, so this runs in the browser as well as on the server.
import ipaddr from 'ipaddr.js';

export type IpVersion = 4 | 6;

/** An IP address as an unsigned integer (IPv4 in 32 bits, IPv6 in 128). */
export interface IpAddress {
  readonly version: IpVersion;
  readonly value: bigint;
}

/** A prefix as written (host bits kept, as Neutron keeps them) plus its network form. */
export interface Cidr {
  readonly version: IpVersion;
  /** The address part as given (canonical spelling), host bits kept. */
  readonly address: IpAddress;
  readonly prefixLength: number;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

export function addressBits(version: IpVersion): number {
  return BITS[version];
}

function toBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Parse a single address in canonical dotted or RFC 5952 form; null when it is not one. */
export function tryParseIpAddress(text: string): IpAddress | null {
  if (typeof text !== 'string') return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return { version: 4, value: toBigInt(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  if (text.includes(':') && ipaddr.IPv6.isValid(text) && !text.includes('%')) {
    return { version: 6, value: toBigInt(ipaddr.IPv6.parse(text).toByteArray()) };
  }
  return null;
}

export function formatIpAddress(ip: IpAddress): string {
  const count = ip.version === 4 ? 4 : 16;
  const bytes: number[] = [];
  for (let i = count - 1; i >= 0; i--) bytes.push(Number((ip.value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** Parse `a.b.c.d[/n]` or an IPv6 `addr[/n]`; a bare address gets /32 or /128 (S17). Null if invalid. */
export function tryParseCidr(text: string): Cidr | null {
  if (typeof text !== 'string') return null;
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const address = tryParseIpAddress(addrText);
  if (!address) return null;
  if (slash < 0) return { version: address.version, address, prefixLength: BITS[address.version] };
  const lenText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(lenText)) return null;
  const prefixLength = Number(lenText);
  if (prefixLength > BITS[address.version]) return null;
  return { version: address.version, address, prefixLength };
}

function mask(version: IpVersion, prefixLength: number): bigint {
  const bits = BITS[version];
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefixLength)) - 1n);
}

/** The network address of a prefix (host bits cleared). */
export function networkOf(cidr: Cidr): IpAddress {
  return { version: cidr.version, value: cidr.address.value & mask(cidr.version, cidr.prefixLength) };
}

/** `10.0.0.34/24` as written (canonical address spelling). */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpAddress(cidr.address)}/${cidr.prefixLength}`;
}

/** `10.0.0.34/24` → `10.0.0.0/24` (Neutron's normalized_cidr). */
export function formatNormalizedCidr(cidr: Cidr): string {
  return `${formatIpAddress(networkOf(cidr))}/${cidr.prefixLength}`;
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.version !== ip.version) return false;
  const m = mask(cidr.version, cidr.prefixLength);
  return (ip.value & m) === (cidr.address.value & m);
}

/** Size of a prefix in addresses, as a bigint (IPv6 prefixes can be 2^128). */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt(BITS[cidr.version] - cidr.prefixLength);
}

/** Address at `offset` inside the prefix's network. */
export function addressAt(cidr: Cidr, offset: bigint): IpAddress {
  return { version: cidr.version, value: networkOf(cidr).value + offset };
}
