// Addresses, prefixes and protocols read the plain way for the reference evaluator: it shares no parser with the engine.

/** An address as a number; the reference compares these, never the engine's words. */
export interface RefAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

function parseV4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((v, p) => (v << 8n) | BigInt(p), 0n);
}

/** Colon groups, the last of which may be a dotted IPv4 tail (two groups). */
function groupsOf(text: string): number[] | null {
  if (text === '') return [];
  const parts = text.split(':');
  const out: number[] = [];
  for (const [i, p] of parts.entries()) {
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseV4(p);
      if (v4 === null) return null;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-f]{1,4}$/i.test(p)) out.push(parseInt(p, 16));
    else return null;
  }
  return out;
}

function parseV6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const zeros = 8 - head.length - tail.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return null;
  return [...head, ...new Array<number>(Math.max(0, zeros)).fill(0), ...tail].reduce((v, g) => (v << 16n) | BigInt(g), 0n);
}

export function refAddress(text: string): RefAddress | null {
  const value = text.includes(':') ? parseV6(text) : parseV4(text);
  return value === null ? null : { version: text.includes(':') ? 6 : 4, value };
}

/** `a/n` or a bare address (a host prefix); the host bits are kept and ignored. */
export function refPrefix(text: string): { address: RefAddress; length: number } | null {
  const [addressText, lengthText, ...rest] = text.split('/');
  const address = refAddress(addressText!);
  if (address === null || rest.length > 0) return null;
  const bits = address.version === 4 ? 32 : 128;
  if (lengthText === undefined) return { address, length: bits };
  if (!/^[0-9]+$/.test(lengthText) || Number(lengthText) > bits) return null;
  return { address, length: Number(lengthText) };
}

export function refInside(prefixText: string, address: RefAddress): boolean {
  const prefix = refPrefix(prefixText);
  if (prefix === null || prefix.address.version !== address.version) return false;
  const shift = BigInt((address.version === 4 ? 32 : 128) - prefix.length);
  return prefix.address.value >> shift === address.value >> shift;
}

/** IANA numbers of the names the property tests use; an unknown name throws, so a gap shows. */
const NUMBERS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, 'ipv6-icmp': 58, icmpv6: 58, gre: 47, sctp: 132, dccp: 33, udplite: 136, igmp: 2 };
const WITH_PORTS = new Set([6, 17, 33, 132, 136]);
const WITH_ICMP_TYPE = new Set([1, 58]);

/** What a rule's protocol means: null is every protocol; how its port_range_min/max are read. */
export function refProtocol(protocol: string | null): { number: number | null; range: 'ports' | 'icmp' | 'none' } {
  const v = protocol ?? '';
  if (['', 'any', '0', 'ip', 'hopopt'].includes(v)) return { number: null, range: 'none' };
  const number = /^[0-9]+$/.test(v) ? Number(v) : NUMBERS[v];
  if (number === undefined) throw new Error(`the reference knows no protocol ${v}`);
  return { number, range: WITH_PORTS.has(number) ? 'ports' : WITH_ICMP_TYPE.has(number) ? 'icmp' : 'none' };
}
