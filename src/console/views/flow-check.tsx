// "Can 10.0.0.5 reach this instance on tcp/22?": the engine's verdict and the rule behind it, or why not.
import { useState, type FormEvent } from 'react';
import type { PortWire } from '../../contract/index.js';
import { explainFlow, type ExplanationWire } from '../analysis-client.js';
import { serviceFields, type ServiceText } from '../service-input.js';
import { ErrorBanner } from '../ui/feedback.js';
import { EMPTY_SERVICE, ServiceInputs } from '../ui/service-inputs.js';
import { ExplanationView } from './explanation-view.js';

export function FlowCheck(props: { port: PortWire; instanceName: string }) {
  const [direction, setDirection] = useState<'ingress' | 'egress'>('ingress');
  const [remote, setRemote] = useState('');
  const [service, setService] = useState<ServiceText>(EMPTY_SERVICE);
  const [answer, setAnswer] = useState<ExplanationWire | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setAnswer(null);
    const fields = serviceFields(service);
    if (!fields.ok) return setError(new Error(fields.error));
    try {
      setAnswer(await explainFlow({ port_id: props.port.id, direction, remote_ip: remote.trim(), ...fields.fields }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="flow-check" onSubmit={(e) => void submit(e)} aria-label={`Check a flow at ${props.instanceName}`}>
      <div className="row">
        <label>
          Traffic
          <select value={direction} onChange={(e) => setDirection(e.target.value === 'egress' ? 'egress' : 'ingress')}>
            <option value="ingress">Into {props.instanceName} from</option>
            <option value="egress">Out of {props.instanceName} to</option>
          </select>
        </label>
        <label>Remote IP<input value={remote} onChange={(e) => setRemote(e.target.value)} placeholder="e.g. 10.0.0.5" required /></label>
      </div>
      <ServiceInputs value={service} onChange={setService} idPrefix={`flow-${props.port.id}`} />
      <div className="actions left"><button type="submit" className="primary">Check</button></div>
      <ErrorBanner error={error} title="Could not check the flow:" />
      {answer ? <ExplanationView explanation={answer} /> : null}
    </form>
  );
}
