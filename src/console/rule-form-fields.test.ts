// Tests for the Add-rule form's fields as rendered (issue 18 defects 9 and 12).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { checkDraft, EMPTY_DRAFT, type RuleDraft } from './rule-draft.js';
import { PortInputs, RemoteInputs } from './views/rule-form-fields.js';

const ctx = { securityGroupId: 'sg', resolveGroup: (v: string) => ({ id: v }) };
const issuesOf = (d: RuleDraft) => {
  const c = checkDraft(d, ctx);
  return c.ok ? [] : c.issues;
};

describe('PortInputs', () => {
  it('marks a wrong port aria-invalid, and its message names the range the placeholder shows', () => {
    const draft = { ...EMPTY_DRAFT, port: '70000' };
    const html = renderToStaticMarkup(createElement(PortInputs, { draft, set: () => undefined, issues: issuesOf(draft) }));
    expect(html).toMatch(/<input[^>]*placeholder="1–65535"[^>]*aria-invalid="true"/);
    expect(html).toContain("Port must be a whole number from 1 to 65535, not &#x27;70000&#x27;.");
    const ok = { ...EMPTY_DRAFT, port: '22' };
    expect(renderToStaticMarkup(createElement(PortInputs, { draft: ok, set: () => undefined, issues: issuesOf(ok) }))).toMatch(/aria-invalid="false"/);
  });
});

describe('RemoteInputs', () => {
  it('says what a prefix with host bits set means before it is saved', () => {
    const draft = { ...EMPTY_DRAFT, cidr: '10.0.0.5/24' };
    const html = renderToStaticMarkup(createElement(RemoteInputs, { draft, set: () => undefined, groups: [], issues: [] }));
    expect(html).toContain('10.0.0.5/24 matches the whole network 10.0.0.0/24');
  });
});
