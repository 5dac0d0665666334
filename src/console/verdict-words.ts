// The engine's verdict in the console's own words: one sentence per reason, field names as people say them, nearest rules ranked.
import type { ExplanationWire, RuleReportWire } from '../contract/index.js';

const SENTENCES: Record<string, string> = {
  rule: 'The rules below let this traffic through.',
  'always-allowed': 'This traffic always passes, whatever the rules: Neutron lets DHCP and IPv6 neighbour discovery through.',
  'always-denied': 'This traffic is always dropped, whatever the rules: an instance may not act as a DHCP server or IPv6 router.',
  spoofed: 'This traffic is dropped: its source is not an address of this instance nor in one of its allowed address pairs.',
  'port-security-disabled': 'This traffic passes: port security is off on this interface, so nothing is filtered.',
  'trusted-port': 'This traffic passes: network-owned ports (router, DHCP) are not filtered.',
  'no-matching-rule': 'No rule lets this traffic through, so it is dropped.',
};

/** The verdict sentence; the API's `summary` names its own fields ("listed in matches"), so it is only a fallback. */
export function verdictSentence(e: Pick<ExplanationWire, 'reason' | 'summary'>): string {
  return SENTENCES[e.reason] ?? e.summary;
}

const FIELD_WORDS: Record<string, string> = { direction: 'Direction', etherType: 'Ether type', protocol: 'Protocol', ports: 'Ports', remote: 'Remote' };

export function fieldWords(field: string): string {
  return FIELD_WORDS[field] ?? field;
}

/** A rule in the flow's own direction is closer than one that differs only in fewer other fields: it comes first. */
export function rankNearest(nearest: readonly RuleReportWire[]): RuleReportWire[] {
  const directionDiffers = (r: RuleReportWire) => (r.fields.some((f) => f.field === 'direction' && !f.matched) ? 1 : 0);
  return [...nearest].sort((a, b) => directionDiffers(a) - directionDiffers(b) || a.mismatches - b.mismatches);
}
