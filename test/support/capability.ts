// Tests that need root, namespaces, PostgreSQL or Chromium: skip with a reason, or fail under CI.
import { it } from 'vitest';

/** True when CI demands every capability (`.ci/run` sets PALISADE_REQUIRE_ALL=1). */
export const REQUIRE_ALL = process.env['PALISADE_REQUIRE_ALL'] === '1';

/**
 * When `missing` is a reason, registers one test that skips with it — or fails with it under CI —
 * and returns false; returns true when the capability is there.
 */
export function hasCapability(name: string, missing: string | null): boolean {
  if (missing === null) return true;
  if (REQUIRE_ALL) {
    it(`${name} is available (required under CI)`, () => {
      throw new Error(`${name} missing: ${missing}`);
    });
  } else {
    it.skip(`${name} skipped: ${missing}`, () => {});
    // The default reporter shows a skipped file as a count, without its tests' names: the reason goes to stderr,
    // which vitest prints under the file's name in the default output.
    console.warn(`skipped (${name}): ${missing}`);
  }
  return false;
}
