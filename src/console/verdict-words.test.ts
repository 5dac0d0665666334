// Tests for the verdict's wording and the order of the closest rules (issue 18 defect 4).
import { describe, expect, it } from 'vitest';
import type { RuleReportWire } from '../contract/index.js';
import { fieldWords, rankNearest, verdictSentence } from './verdict-words.js';

const report = (id: string, differs: string[]): RuleReportWire => ({
  rule_id: id, group_id: 'g', group_name: 'web', mismatches: differs.length,
  fields: ['direction', 'etherType', 'protocol', 'ports', 'remote'].map((field) => ({ field, matched: !differs.includes(field), rule: '', flow: '' })),
});

describe('verdict words', () => {
  it('says the verdict without the API field names', () => {
    const s = verdictSentence({ reason: 'rule', summary: 'allowed by the rules listed in matches' });
    expect(s).not.toMatch(/matches|allowed allowed/i);
    expect(s).toBe('The rules below let this traffic through.');
    expect(verdictSentence({ reason: 'something-new', summary: 'fallback' })).toBe('fallback');
    expect(fieldWords('etherType')).toBe('Ether type');
  });

  it('ranks a rule whose direction differs after rules in the flow direction', () => {
    const ranked = rankNearest([report('a-egress', ['direction']), report('b-port', ['ports']), report('c-two', ['ports', 'remote'])]);
    expect(ranked.map((r) => r.rule_id)).toEqual(['b-port', 'c-two', 'a-egress']);
  });
});
