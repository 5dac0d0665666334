// A service as typed for flow checks and reachability: protocol, then a port or an ICMP type/code.
import { protocolMeaning } from '../contract/index.js';

export interface ServiceText {
  readonly protocol: string;
  readonly port: string;
  readonly icmpType: string;
  readonly icmpCode: string;
}

export interface ServiceFields {
  protocol: string;
  port?: number;
  icmp_type?: number;
  icmp_code?: number;
}

function int(text: string, max: number, what: string): number | undefined | string {
  const t = text.trim();
  if (t === '') return undefined;
  return /^[0-9]+$/.test(t) && Number(t) <= max ? Number(t) : `${what} must be a whole number from 0 to ${max}.`;
}

/** The query fields of a service, or the problem with it; a flow has one concrete protocol, never "any". */
export function serviceFields(s: ServiceText): { ok: true; fields: ServiceFields } | { ok: false; error: string } {
  const protocol = s.protocol.trim().toLowerCase();
  const meaning = protocolMeaning(protocol);
  if (meaning.number === null) return { ok: false, error: 'Choose one protocol: a flow cannot be "any protocol".' };
  if (Number.isNaN(meaning.number) || meaning.number > 255) return { ok: false, error: `Protocol '${s.protocol}' is not a name or a number from 0 to 255.` };
  if (meaning.hasIcmpTypeCode) {
    const type = int(s.icmpType, 255, 'ICMP type');
    const code = int(s.icmpCode, 255, 'ICMP code');
    if (typeof type === 'string') return { ok: false, error: type };
    if (typeof code === 'string') return { ok: false, error: code };
    return { ok: true, fields: { protocol, ...(type !== undefined && { icmp_type: type }), ...(code !== undefined && { icmp_code: code }) } };
  }
  if (!meaning.hasPorts) return { ok: true, fields: { protocol } };
  const port = int(s.port, 65535, 'Port');
  if (typeof port === 'string') return { ok: false, error: port };
  if (port === undefined) return { ok: false, error: `Give the port ${meaning.info?.label ?? protocol} traffic goes to.` };
  return { ok: true, fields: { protocol, port } };
}

/** `tcp:22`, `icmp:8:0`, `gre`: the matrix endpoint's service syntax. */
export function parseServiceList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
}
