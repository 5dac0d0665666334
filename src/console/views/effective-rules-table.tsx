// An instance port's effective rules: every rule of every group on the port, with the group it comes from.
import type { SecurityGroupWire } from '../../contract/index.js';
import type { PortPolicy } from '../effective-rules.js';
import { directionLabel, portLabel, protocolLabel, remoteLabel } from '../rule-format.js';
import { groupNamer } from './rules-section.js';

export function EffectiveRulesTable(props: { policy: PortPolicy; groups: readonly SecurityGroupWire[]; label: string }) {
  const { policy } = props;
  const name = groupNamer(props.groups);
  const source = policy.source === 'engine'
    ? 'Merged by the policy engine.'
    : 'Merged in the console from the Neutron API (this server has no engine API).';
  if (!policy.filtered) return <p className="banner banner-warn">Port security is off: this port is not filtered at all, every packet passes in both directions.</p>;
  const ingress = policy.rules.filter((r) => r.rule.direction === 'ingress').length;
  return (
    <div>
      <p className="hint">The union of the rules of this port's groups. {source}</p>
      <p>
        {ingress} ingress and {policy.rules.length - ingress} egress rules allow traffic; everything else is dropped.
        {policy.rules.length === 0 ? ' With no rules, this port accepts and sends nothing.' : ''}
      </p>
      {policy.missingGroups.length > 0 ? <p className="banner banner-warn">Groups you cannot read are also applied: {policy.missingGroups.join(', ')}.</p> : null}
      {policy.rules.length > 0 ? (
        <div className="table-wrap">
          <table aria-label={props.label}>
            <thead>
              <tr>
                <th scope="col">Direction</th><th scope="col">Ether type</th><th scope="col">IP protocol</th><th scope="col">Port range / ICMP</th>
                <th scope="col">Remote</th><th scope="col">Description</th><th scope="col">From group</th>
              </tr>
            </thead>
            <tbody>
              {policy.rules.map(({ key, rule, origins }) => (
                <tr key={key} data-direction={rule.direction}>
                  <td>{directionLabel(rule.direction)}</td><td>{rule.ethertype}</td><td>{protocolLabel(rule.protocol)}</td><td>{portLabel(rule)}</td>
                  <td>{remoteLabel(rule, name)}</td><td>{rule.description}</td><td>{origins.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
