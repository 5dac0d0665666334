// Multi-select of security groups as a labelled list of checkboxes.
import type { SecurityGroupWire } from '../../contract/index.js';
import { groupLabels } from '../group-name.js';

export function GroupPicker(props: { legend: string; groups: readonly SecurityGroupWire[]; selected: readonly string[]; onChange: (ids: string[]) => void; disabled?: boolean }) {
  const labels = groupLabels(props.groups);
  const toggle = (id: string, on: boolean) => props.onChange(on ? [...props.selected, id] : props.selected.filter((s) => s !== id));
  return (
    <fieldset className="group-picker" disabled={props.disabled}>
      <legend>{props.legend}</legend>
      {props.groups.length === 0 ? <p className="muted">No security groups.</p> : null}
      <ul>
        {props.groups.map((g) => (
          <li key={g.id}>
            <label className="check">
              <input type="checkbox" checked={props.selected.includes(g.id)} onChange={(e) => toggle(g.id, e.target.checked)} />
              {labels.get(g.id)} <span className="muted">({g.security_group_rules?.length ?? 0} rules{g.stateful ? '' : ', stateless'})</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
