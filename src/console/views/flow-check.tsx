// "Can 10.0.0.5 reach this instance on tcp/22?": the engine's verdict and the rule behind it, or why not.
import { useRef, useState, type FormEvent } from 'react';
import type { ExplanationWire, PortWire } from '../../contract/index.js';
import { explainFlow } from '../analysis-client.js';
import { flowAddressProblem } from '../ip-cidr.js';
import { serviceFields, type ServiceText } from '../service-input.js';
import { ErrorBanner } from '../ui/feedback.js';
import { EMPTY_SERVICE, ServiceInputs } from '../ui/service-inputs.js';
import { ExplanationView } from './explanation-view.js';

export function FlowCheck(props: { port: PortWire; instanceName: string }) {
  const [direction, setDirection] = useState<'ingress' | 'egress'>('ingress');
  const [remote, setRemote] = useState('');
  const [service, setService] = useState<ServiceText>(EMPTY_SERVICE);
  const [answer, setAnswer] = useState<ExplanationWire | null>(null);
  const [remoteError, setRemoteError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const remoteInput = useRef<HTMLInputElement>(null);
  const errorId = `flow-${props.port.id}-remote-error`;
  // An answer or an error is about the flow as it was asked: editing any field takes them away.
  const edited = () => {
    setError(undefined);
    setRemoteError(null);
    setAnswer(null);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    edited();
    const problem = flowAddressProblem(remote);
    if (problem) {
      setRemoteError(problem);
      return remoteInput.current?.focus();
    }
    const fields = serviceFields(service);
    if (!fields.ok) return setError(new Error(fields.error));
    try {
      setAnswer(await explainFlow({ port_id: props.port.id, direction, remote_ip: remote.trim(), ...fields.fields }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="flow-check" onSubmit={(e) => void submit(e)} aria-label={`Check a flow at ${props.instanceName}`} noValidate>
      <div className="row">
        <label>
          Traffic
          <select value={direction} onChange={(e) => { edited(); setDirection(e.target.value === 'egress' ? 'egress' : 'ingress'); }}>
            <option value="ingress">Into {props.instanceName} from</option>
            <option value="egress">Out of {props.instanceName} to</option>
          </select>
        </label>
        <label>
          Remote IP
          <input ref={remoteInput} value={remote} onChange={(e) => { edited(); setRemote(e.target.value); }} placeholder="e.g. 10.0.0.5" required
            aria-invalid={remoteError !== null} aria-describedby={errorId} />
          <span id={errorId} className="field-error">{remoteError ?? ''}</span>
        </label>
      </div>
      <ServiceInputs value={service} onChange={(s) => { edited(); setService(s); }} idPrefix={`flow-${props.port.id}`} />
      <div className="actions left"><button type="submit" className="primary">Check</button></div>
      <ErrorBanner error={error} title="Could not check the flow:" />
      {answer ? <ExplanationView explanation={answer} /> : null}
    </form>
  );
}
