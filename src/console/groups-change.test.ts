// Tests for saving a port's groups (issue 18 defect 5).
import { describe, expect, it } from 'vitest';
import { groupsChangeSummary, needsNoGroupsConfirm } from './groups-change.js';

describe('port groups change', () => {
  it('asks before leaving a filtered port with no group', () => {
    expect(needsNoGroupsConfirm([], true)).toBe(true);
    expect(needsNoGroupsConfirm(['g'], true)).toBe(false);
    expect(needsNoGroupsConfirm([], false)).toBe(false);
  });

  it('says what a save changed, so it can be undone', () => {
    const label = (id: string) => id.toUpperCase();
    expect(groupsChangeSummary(['conn', 'web'], ['conn', 'db'], label)).toBe('Added DB; removed WEB.');
    expect(groupsChangeSummary(['web'], [], label)).toBe('Removed WEB.');
  });
});
