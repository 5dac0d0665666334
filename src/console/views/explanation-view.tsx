// The engine's verdict on one flow at one port: the rules that allow it, or the nearest rules and what differs.
import type { ExplanationWire, RuleReportWire } from '../../contract/index.js';
import { membershipNotices, membersText } from '../membership-notice.js';
import { fieldWords, rankNearest, verdictSentence } from '../verdict-words.js';

export function VerdictBadge(props: { verdict: 'allow' | 'deny' }) {
  return <span className={`verdict verdict-${props.verdict}`}>{props.verdict === 'allow' ? 'Allowed' : 'Denied'}</span>;
}

function ReportItem(props: { report: RuleReportWire; showMismatches: boolean }) {
  const { report } = props;
  const fields = props.showMismatches ? report.fields.filter((f) => !f.matched) : report.fields.filter((f) => f.rule !== '' && f.rule !== 'any');
  return (
    <li>
      Rule of group <strong>{report.group_name || report.group_id}</strong>
      {props.showMismatches ? ` (${report.mismatches} ${report.mismatches === 1 ? 'field differs' : 'fields differ'})` : ''}:{' '}
      {fields.map((f, i) => (
        <span key={f.field}>
          {i > 0 ? '; ' : ''}
          {fieldWords(f.field)} {props.showMismatches ? <>is <code>{f.rule}</code> but the flow has <code>{f.flow}</code></> : <code>{f.rule}</code>}
          {!props.showMismatches && f.remote_members ? ` (${membersText(f.remote_members)})` : null}
        </span>
      ))}
    </li>
  );
}

export function ExplanationView(props: { explanation: ExplanationWire; title?: string }) {
  const e = props.explanation;
  return (
    <div className="explanation" aria-live="polite">
      <p>
        {props.title ? <strong>{props.title}: </strong> : null}
        <VerdictBadge verdict={e.verdict} /> {verdictSentence(e)}
      </p>
      {membershipNotices(e).map((text) => (
        <div key={text} className="banner banner-warn" role="note" aria-label="Membership notice">{text}</div>
      ))}
      {e.matches.length > 0 ? (
        <ul aria-label="Matching rules">{e.matches.map((r) => <ReportItem key={r.rule_id} report={r} showMismatches={false} />)}</ul>
      ) : null}
      {e.verdict === 'deny' && e.nearest.length > 0 ? (
        <>
          <p className="hint">Closest rules:</p>
          <ul aria-label="Closest rules">{rankNearest(e.nearest).map((r) => <ReportItem key={r.rule_id} report={r} showMismatches />)}</ul>
        </>
      ) : null}
      {!e.stateful ? <p className="hint">A group on this port is stateless: replies need rules of their own.</p> : null}
    </div>
  );
}
