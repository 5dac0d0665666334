// The fast path: a parsed flow against one port — mode, guards, then the port's compiled policy.
import type { PortEntry, EngineState } from './engine-state.js';
import type { ParsedFlow } from './flow.js';
import { guardVerdict } from './port-guard.js';
import { policyAllows } from './policy-index.js';
import { MODE_PORT_SECURITY_DISABLED, MODE_TRUSTED } from './port-profile.js';
import { REASON_NO_MATCH, REASON_NONE, REASON_PORT_SECURITY_DISABLED, REASON_RULE, REASON_TRUSTED_PORT } from './verdict.js';

/** The reason (a REASON_* number) the port gives the flow. */
export function reasonFor(state: EngineState, entry: PortEntry, f: ParsedFlow): number {
  const profile = entry.profile;
  if (profile.mode === MODE_PORT_SECURITY_DISABLED) return REASON_PORT_SECURITY_DISABLED;
  if (profile.mode === MODE_TRUSTED) return REASON_TRUSTED_PORT;
  const guard = guardVerdict(profile, f);
  if (guard !== REASON_NONE) return guard;
  const policy = entry.slot.policy ?? state.policyOf(entry.slot);
  const w = f.words;
  const members = f.version === 4 ? state.membership.v4 : state.membership.v6;
  return policyAllows(policy, f.slot, f.protocol, f.key, w[0]!, w[1]!, w[2]!, w[3]!, members) ? REASON_RULE : REASON_NO_MATCH;
}
