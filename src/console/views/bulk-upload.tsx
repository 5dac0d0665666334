// Bulk upload of up to 300 rules from the CSV template: every line checked first, then one atomic bulk create.
import { useState, type ChangeEvent } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { downloadText } from '../download.js';
import { createRules, type GroupRef } from '../neutron-client.js';
import { checkRulesCsv, CSV_TEMPLATE, MAX_UPLOAD_RULES, wireRuleKey, type UploadCheck } from '../rules-csv.js';
import { ErrorBanner, Notice } from '../ui/feedback.js';

/** Resolves a CSV remote_group cell: a group id, or a name that only one group has. */
export function groupByIdOrName(groups: readonly GroupRef[]) {
  return (v: string): { id: string } | { error: string } => {
    if (groups.some((g) => g.id === v)) return { id: v };
    const named = groups.filter((g) => g.name === v);
    if (named.length === 1) return { id: named[0]!.id };
    return { error: named.length === 0 ? `No security group named or with id '${v}'.` : `${named.length} groups are named '${v}'; use the group id.` };
  };
}

export function BulkUpload(props: { group: SecurityGroupWire; groups: readonly GroupRef[]; onUploaded: () => void }) {
  const [file, setFile] = useState<{ name: string; check: UploadCheck } | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const existing = new Map((props.group.security_group_rules ?? []).map((r) => [wireRuleKey(r), r.id]));
  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    setError(undefined);
    setDone(null);
    const chosen = e.target.files?.[0];
    if (!chosen) return setFile(null);
    const text = await chosen.text();
    setFile({ name: chosen.name, check: checkRulesCsv(text, { securityGroupId: props.group.id, resolveGroup: groupByIdOrName(props.groups), existing }) });
  };
  const upload = async () => {
    if (!file?.check.ok) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await createRules(file.check.rules);
      setDone(`Added ${created.length} rules from ${file.name}.`);
      setFile(null);
      props.onUploaded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="bulk-title">
      <div className="card-head">
        <h2 id="bulk-title">Bulk upload</h2>
        <button type="button" onClick={() => downloadText('security-group-rules-template.csv', CSV_TEMPLATE, 'text/csv')}>Download CSV template</button>
      </div>
      <p className="hint">Up to {MAX_UPLOAD_RULES} rules in the template's format. Every line is checked first; the file is applied all at once or not at all.</p>
      <label>
        CSV file
        <input type="file" accept=".csv,text/csv" onChange={(e) => void choose(e)} key={done ?? 'input'} />
      </label>
      {file && !file.check.ok ? (
        <div className="banner banner-error" role="alert">
          <strong>{file.name} was not uploaded: {file.check.problems.length} {file.check.problems.length === 1 ? 'line has' : 'lines have'} problems. Nothing was applied.</strong>
          <ul className="problems" aria-label="Problems in the file">
            {file.check.problems.map((p) => <li key={p.line}>{p.line === 0 ? 'File' : `Line ${p.line}`}: {p.messages.join(' ')}</li>)}
          </ul>
        </div>
      ) : null}
      {file?.check.ok ? (
        <div className="actions left">
          <span>
            {file.name}: {file.check.rules.length} rules ready.
            {file.check.skipped.length > 0 ? ` ${file.check.skipped.length} ${file.check.skipped.length === 1 ? 'line is' : 'lines are'} already rules of this group and will be left out (line ${file.check.skipped.map((s) => s.line).join(', ')}).` : ''}
          </span>
          {file.check.rules.length > 0 ? (
            <button type="button" className="primary" onClick={() => void upload()} disabled={busy}>{busy ? 'Uploading…' : `Upload ${file.check.rules.length} rules`}</button>
          ) : null}
        </div>
      ) : null}
      <ErrorBanner error={error} title="The upload was refused; no rule was added:" />
      {done ? <Notice>{done}</Notice> : null}
    </section>
  );
}
