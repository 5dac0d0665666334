// What a filtered port allows or drops before its rules are read: DHCP, IPv6 ND, anti-spoofing (neutron-api.md §10.2, §10.3).
import type { ParsedFlow } from './flow.js';
import { isWithin, type PortProfile } from './port-profile.js';
import { REASON_ALWAYS_ALLOWED, REASON_ALWAYS_DENIED, REASON_NONE, REASON_SPOOFED } from './verdict.js';

const UDP = 17;
const ICMPV6 = 58;
const BROADCAST = -1;
const FE80 = 0xfe800000 | 0;
const FF02 = 0xff020000 | 0;

/** ICMPv6 types a port may always send: MLD query, router solicitation, neighbour solicitation and advertisement. */
const ICMPV6_ALWAYS_OUT = new Set([130, 133, 135, 136]);
/** ICMPv6 types always let in: MLD query, neighbour solicitation and advertisement (RA 134 needs an IPv6 address). */
const ICMPV6_ALWAYS_IN = new Set([130, 135, 136]);
/** Duplicate address detection from `::`: MLD report, neighbour solicitation, MLDv2 report. */
const ICMPV6_DAD = new Set([131, 135, 143]);

function isUdp(f: ParsedFlow, from: number, to: number): boolean {
  return f.protocol === UDP && f.sourcePort === from && f.port === to;
}

function isZero(w: Int32Array, offset: number): boolean {
  return w[offset] === 0 && w[offset + 1] === 0 && w[offset + 2] === 0 && w[offset + 3] === 0;
}

/** DHCP discover from 0.0.0.0 to broadcast, and DAD from `::` to ff02::/16: allowed before the source check. */
function isUnaddressedBootstrap(f: ParsedFlow): boolean {
  const w = f.words;
  if (!f.hasLocal || !isZero(w, 4)) return false;
  if (f.version === 4) return isUdp(f, 68, 67) && w[3] === BROADCAST;
  return f.protocol === ICMPV6 && ICMPV6_DAD.has(f.icmpType) && (w[0]! & (0xffff0000 | 0)) === FF02;
}

function egressGuard(profile: PortProfile, f: ParsedFlow): number {
  if (isUnaddressedBootstrap(f)) return REASON_ALWAYS_ALLOWED;
  if (f.hasLocal && !isWithin(profile.own, f.version, f.words, 4)) return REASON_SPOOFED;
  if (f.version === 4) {
    if (isUdp(f, 67, 68)) return REASON_ALWAYS_DENIED;
    return isUdp(f, 68, 67) ? REASON_ALWAYS_ALLOWED : REASON_NONE;
  }
  if (isUdp(f, 547, 546) || (f.protocol === ICMPV6 && f.icmpType === 134)) return REASON_ALWAYS_DENIED;
  if (isUdp(f, 546, 547) || (f.protocol === ICMPV6 && ICMPV6_ALWAYS_OUT.has(f.icmpType))) return REASON_ALWAYS_ALLOWED;
  return REASON_NONE;
}

function ingressGuard(profile: PortProfile, f: ParsedFlow): number {
  const w = f.words;
  if (f.version === 4) {
    const toPort = !f.hasLocal || w[7] === BROADCAST || isWithin(profile.fixed, 4, w, 4);
    return isUdp(f, 67, 68) && toPort ? REASON_ALWAYS_ALLOWED : REASON_NONE;
  }
  if (isUdp(f, 547, 546)) {
    const toPort = !f.hasLocal || (w[4] === FE80 && w[5] === 0) || isWithin(profile.fixed, 6, w, 4);
    return toPort ? REASON_ALWAYS_ALLOWED : REASON_NONE;
  }
  if (f.protocol !== ICMPV6) return REASON_NONE;
  return ICMPV6_ALWAYS_IN.has(f.icmpType) || (f.icmpType === 134 && profile.hasIpv6) ? REASON_ALWAYS_ALLOWED : REASON_NONE;
}

/** The guard's verdict for a filtered port, or REASON_NONE when the rules decide. */
export function guardVerdict(profile: PortProfile, f: ParsedFlow): number {
  return f.slot >= 2 ? egressGuard(profile, f) : ingressGuard(profile, f);
}
