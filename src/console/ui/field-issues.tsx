// The problems the client-side check found in one or more form fields, shown beside them.
import type { RuleField, RuleIssue } from '../rule-check.js';

export function FieldIssues(props: { issues: readonly RuleIssue[]; fields: readonly RuleField[]; id: string }) {
  const messages = [...new Set(props.issues.filter((i) => props.fields.includes(i.field)).map((i) => i.message))];
  return <span id={props.id} className="field-error">{messages.join(' ')}</span>;
}
