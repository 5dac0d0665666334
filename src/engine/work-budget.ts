// A budget for long analyses: loops call tick(), and the caller's budget may throw to stop the work.

/**
 * The engine reads no clock; the service gives it a budget whose tick() throws once a deadline has
 * passed, so a matrix or reachability question can be cut short between two steps of its loops.
 */
export interface WorkBudget {
  tick(): void;
}

export const UNLIMITED: WorkBudget = { tick() {} };
