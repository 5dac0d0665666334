// Tests for group name checks (issue 18 defects 1 and 11).
import { describe, expect, it } from 'vitest';
import { duplicateNameWarning, groupLabels, groupNameProblem } from './group-name.js';

describe('groupNameProblem', () => {
  it('refuses a name of only spaces, which would create a nameless group', () => {
    expect(groupNameProblem('   ')).toBe('The name cannot be only spaces.');
    expect(groupNameProblem('')).toBe('Give the group a name.');
    expect(groupNameProblem(' web ')).toBeNull();
  });
});

describe('duplicate names', () => {
  it('warns before a second group of the same name', () => {
    expect(duplicateNameWarning('web', 0)).toBeNull();
    expect(duplicateNameWarning(' web', 1)).toMatch(/^A group named 'web' already exists/);
  });

  it('labels same-named groups with the start of their id, so pickers tell them apart', () => {
    const labels = groupLabels([{ id: 'aaaaaaaa-1', name: 'web' }, { id: 'bbbbbbbb-2', name: 'web' }, { id: 'c', name: 'db' }, { id: 'd', name: '' }]);
    expect([...labels.values()]).toEqual(['web (aaaaaaaa)', 'web (bbbbbbbb)', 'db', 'd']);
  });
});
