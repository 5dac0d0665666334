// "Findings": lint's findings about one group, each fix posted to what-if first and applied only once confirmed.
import { useState } from 'react';
import type { FindingWire, ProposedChangeWire, SecurityGroupWire } from '../../contract/index.js';
import { groupFindings } from '../analysis-client.js';
import { createRule, deleteRule } from '../neutron-client.js';
import type { RuleBody } from '../rule-check.js';
import { useResource } from '../use-resource.js';
import { ConfirmDialog, type ConfirmRequest } from '../ui/confirm-dialog.js';
import { Empty, ErrorBanner, Loading } from '../ui/feedback.js';
import { previewChanges, WhatIfSummary } from './what-if-preview.js';

/** Applies one change of a fix through the rules API the console uses everywhere else; lint's fixes on a group are rule deletes and creates. */
async function applyChange(change: ProposedChangeWire): Promise<void> {
  if (change.resource === 'security_group_rule' && change.action === 'delete' && change.id) return deleteRule(change.id);
  if (change.resource === 'security_group_rule' && change.action === 'create' && change.object) return void (await createRule(change.object as unknown as RuleBody));
  throw new Error(`The console does not apply a ${change.action} of a ${change.resource}; send this fix with the CLI or the API.`);
}

/** Remount with a new `key` when the group's rules change, so the findings are asked for again. */
export function FindingsPanel(props: { group: SecurityGroupWire; onChanged: () => void }) {
  const findings = useResource(() => groupFindings(props.group.id));
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState<FindingWire | null>(null);
  const askFix = async (f: FindingWire) => {
    setError(undefined);
    setBusy(f);
    try {
      const preview = await previewChanges(f.fix!);
      setRequest({
        title: 'Apply this fix?',
        body: <><p>{f.message}</p><WhatIfSummary preview={preview} /></>,
        confirmLabel: 'Apply fix',
        action: async () => {
          // In the fix's order: a merge deletes the two rules before creating the one that replaces them.
          for (const change of f.fix!) await applyChange(change);
          props.onChanged();
        },
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const list = findings.data;
  return (
    <section className="card" aria-labelledby="findings-title">
      <h2 id="findings-title">Findings{list ? ` (${list.length})` : ''}</h2>
      {!list && findings.loading ? <Loading what="the findings" /> : null}
      <ErrorBanner error={findings.error} title="Could not load the findings:" />
      {list && list.length === 0 ? <Empty>Lint finds nothing to say about this group.</Empty> : null}
      {list && list.length > 0 ? (
        <ul aria-label={`Findings of ${props.group.name || props.group.id}`} className="findings">
          {list.map((f, i) => (
            <li key={`${f.code}:${f.security_group_rule_ids.join(',')}:${i}`}>
              <span className={`badge severity-${f.severity}`}>{f.severity}</span> <code>{f.code}</code> {f.message}
              {f.fix ? <> <button type="button" className="link" disabled={busy !== null} onClick={() => void askFix(f)} aria-label={`Fix: ${f.message}`}>{busy === f ? 'Checking…' : 'Fix'}</button></> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorBanner error={error} title="Could not check the fix:" />
      <ConfirmDialog request={request} onClose={() => setRequest(null)} />
    </section>
  );
}
