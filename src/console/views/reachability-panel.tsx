// Can one instance reach another on a service? Both sides' verdicts, what blocks, and rules that would open it.
import { useState, type FormEvent } from 'react';
import type { PortWire, ReachabilityWire, SecurityGroupWire } from '../../contract/index.js';
import { reachability } from '../analysis-client.js';
import { createRule } from '../neutron-client.js';
import { ruleSummary } from '../rule-format.js';
import { serviceFields, type ServiceText } from '../service-input.js';
import { ErrorBanner, Notice } from '../ui/feedback.js';
import { EMPTY_SERVICE, ServiceInputs } from '../ui/service-inputs.js';
import { ExplanationView, VerdictBadge } from './explanation-view.js';
import { groupNamer } from './rules-section.js';

export interface PortChoice {
  readonly port: PortWire;
  readonly label: string;
}

const SIDE = { 'source-egress': 'the source’s egress', 'destination-ingress': 'the destination’s ingress' } as const;

function Openings(props: { answer: ReachabilityWire; groups: readonly SecurityGroupWire[]; onAdded: () => void }) {
  const name = groupNamer(props.groups);
  const [error, setError] = useState<unknown>(undefined);
  const [added, setAdded] = useState<string | null>(null);
  const add = async (o: ReachabilityWire['open_with'][number]) => {
    setError(undefined);
    try {
      await createRule({ ...o.rule, security_group_id: o.security_group_id, description: o.rule.description || 'opened from the reachability view' });
      setAdded(`Added to ${o.security_group_name}.`);
      props.onAdded();
    } catch (e) {
      setError(e);
    }
  };
  if (props.answer.open_with.length === 0) return null;
  return (
    <div>
      <p className="hint">Rules that would open it:</p>
      <ul aria-label="Rules that would open the flow">
        {props.answer.open_with.map((o, i) => (
          <li key={i}>
            In group <strong>{o.security_group_name}</strong> ({SIDE[o.side]}): {ruleSummary(o.rule, name)}{' '}
            <button type="button" onClick={() => void add(o)}>Add this rule</button>
          </li>
        ))}
      </ul>
      <ErrorBanner error={error} title="The rule was not added:" />
      {added ? <Notice>{added}</Notice> : null}
    </div>
  );
}

export function ReachabilityPanel(props: { choices: readonly PortChoice[]; groups: readonly SecurityGroupWire[] }) {
  const [from, setFrom] = useState(props.choices[0]?.port.id ?? '');
  const [to, setTo] = useState(props.choices[1]?.port.id ?? props.choices[0]?.port.id ?? '');
  const [service, setService] = useState<ServiceText>(EMPTY_SERVICE);
  const [answer, setAnswer] = useState<ReachabilityWire | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (e?: FormEvent) => {
    e?.preventDefault();
    setError(undefined);
    const fields = serviceFields(service);
    if (!fields.ok) return setError(new Error(fields.error));
    try {
      setAnswer(await reachability({ source_port_id: from, destination_port_id: to, ...fields.fields }));
    } catch (err) {
      setAnswer(null);
      setError(err);
    }
  };
  const select = (label: string, value: string, set: (v: string) => void) => (
    <label>
      {label}
      <select value={value} onChange={(e) => set(e.target.value)}>
        {props.choices.map((c) => <option key={c.port.id} value={c.port.id}>{c.label}</option>)}
      </select>
    </label>
  );
  return (
    <form className="card" onSubmit={(e) => void run(e)} aria-labelledby="reach-title">
      <h2 id="reach-title">Reachability between two instances</h2>
      <div className="row">{select('From instance', from, setFrom)}{select('To instance', to, setTo)}</div>
      <ServiceInputs value={service} onChange={setService} idPrefix="reach" />
      <div className="actions left"><button type="submit" className="primary">Check reachability</button></div>
      <ErrorBanner error={error} title="Could not check:" />
      {answer ? (
        <div aria-label="Reachability answer" role="region">
          <p><VerdictBadge verdict={answer.verdict} /> {answer.source_ip} → {answer.destination_ip} ({answer.ethertype})
            {answer.blocked_by.length > 0 ? `: blocked by ${answer.blocked_by.map((b) => SIDE[b]).join(' and ')}` : ''}</p>
          <ExplanationView explanation={answer.egress} title="Leaving the source" />
          <ExplanationView explanation={answer.ingress} title="Entering the destination" />
          {answer.replies_need_rules ? <p className="banner banner-warn">A stateless group is involved: replies need rules of their own.</p> : null}
          <Openings answer={answer} groups={props.groups} onAdded={() => void run()} />
        </div>
      ) : null}
    </form>
  );
}
