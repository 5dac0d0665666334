// Verdicts and the reasons behind them, as numbers on the fast path and names in explanations.

export type Verdict = 'allow' | 'deny';

/**
 * Why a flow got its verdict: a rule matched; traffic Neutron always allows or always drops (neutron-api.md §10.3);
 * an egress source that is not the port's (§10.2); a port nothing filters; or no rule matched.
 */
export type VerdictReason =
  | 'rule'
  | 'always-allowed'
  | 'always-denied'
  | 'spoofed'
  | 'port-security-disabled'
  | 'trusted-port'
  | 'no-matching-rule';

export const REASON_RULE = 0;
export const REASON_ALWAYS_ALLOWED = 1;
export const REASON_ALWAYS_DENIED = 2;
export const REASON_SPOOFED = 3;
export const REASON_PORT_SECURITY_DISABLED = 4;
export const REASON_TRUSTED_PORT = 5;
export const REASON_NO_MATCH = 6;
/** The guards had nothing to say: the rules decide. */
export const REASON_NONE = -1;

const NAMES: readonly VerdictReason[] = [
  'rule',
  'always-allowed',
  'always-denied',
  'spoofed',
  'port-security-disabled',
  'trusted-port',
  'no-matching-rule',
];

export function reasonName(reason: number): VerdictReason {
  const name = NAMES[reason];
  if (name === undefined) throw new RangeError(`no verdict reason #${reason}`);
  return name;
}

export function isAllowing(reason: number): boolean {
  return reason === REASON_RULE || reason === REASON_ALWAYS_ALLOWED || reason === REASON_PORT_SECURITY_DISABLED || reason === REASON_TRUSTED_PORT;
}
