// One port of an instance: change its groups (the seed's Instance Management) and turn port security on or off.
import { useEffect, useState } from 'react';
import type { PortWire, SecurityGroupWire } from '../../contract/index.js';
import { groupLabels } from '../group-name.js';
import { groupsChangeSummary, needsNoGroupsConfirm, NO_GROUPS_WARNING } from '../groups-change.js';
import { updatePort } from '../neutron-client.js';
import { ConfirmDialog, type ConfirmRequest } from '../ui/confirm-dialog.js';
import { ErrorBanner, Notice } from '../ui/feedback.js';
import { GroupPicker } from '../ui/group-picker.js';

/** The last save: what the groups were before it, so "Undo save" can put them back. */
interface Saved {
  readonly before: string[];
  readonly after: string[];
}

export function PortSettings(props: { port: PortWire; groups: readonly SecurityGroupWire[]; onChanged: () => void }) {
  const { port } = props;
  const [selected, setSelected] = useState<string[]>(port.security_groups);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [busy, setBusy] = useState(false);
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const labels = groupLabels(props.groups);
  const label = (id: string) => labels.get(id) ?? id;
  const current = port.security_groups.join(',');
  // A reload after a save (or a change elsewhere) brings the port's groups as the API now has them.
  useEffect(() => setSelected(current === '' ? [] : current.split(',')), [current]);
  const dirty = selected.length !== port.security_groups.length || selected.some((s) => !port.security_groups.includes(s));
  const apply = async (groups: string[], undo: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      await updatePort(port.id, { security_groups: groups });
      setSaved(undo ? null : { before: [...port.security_groups], after: groups });
      props.onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const save = () => {
    if (!needsNoGroupsConfirm(selected, port.port_security_enabled)) return void apply(selected, false);
    setRequest({ title: 'Save with no security group?', body: <p>{NO_GROUPS_WARNING}</p>, confirmLabel: 'Save without groups', action: () => apply([], false) });
  };
  const toggleSecurity = () => {
    if (port.port_security_enabled) {
      setRequest({
        title: 'Turn port security off?',
        body: <p>The port leaves all of its security groups and is no longer filtered: every packet passes, and anti-spoofing stops.</p>,
        confirmLabel: 'Turn off',
        action: async () => {
          await updatePort(port.id, { port_security_enabled: false, security_groups: [] });
          props.onChanged();
        },
      });
    } else {
      setRequest({
        title: 'Turn port security on?',
        body: <p>The port is filtered again. It has no groups yet, so it allows nothing until you choose some.</p>,
        confirmLabel: 'Turn on',
        action: async () => {
          await updatePort(port.id, { port_security_enabled: true });
          props.onChanged();
        },
      });
    }
  };
  return (
    <div className="port-settings">
      <form onSubmit={(e) => { e.preventDefault(); save(); }} aria-label={`Security groups of port ${port.name || port.id}`}>
        <GroupPicker legend="Security groups" groups={props.groups} selected={selected} onChange={(ids) => { setSelected(ids); setSaved(null); }} disabled={!port.port_security_enabled} />
        {!port.port_security_enabled ? <p className="hint">Turn port security on to give this port security groups.</p> : null}
        {port.port_security_enabled && selected.length === 0 ? <p className="banner banner-warn" role="note">{NO_GROUPS_WARNING.replace(/ Save it without groups\?$/, '')}</p> : null}
        <ErrorBanner error={error} title="The groups were not changed:" />
        {saved ? (
          <Notice>
            Security groups saved. {groupsChangeSummary(saved.before, saved.after, label)}{' '}
            <button type="button" className="link" onClick={() => void apply(saved.before, true)} disabled={busy}>Undo save</button>
          </Notice>
        ) : null}
        <div className="actions left">
          <button type="submit" className="primary" disabled={busy || !dirty || !port.port_security_enabled}>{busy ? 'Saving…' : 'Save groups'}</button>
          <button type="button" onClick={() => setSelected(port.security_groups)} disabled={!dirty}>Undo changes</button>
          <span className="spacer" />
          <span>Port security: <strong>{port.port_security_enabled ? 'On' : 'Off'}</strong></span>
          <button type="button" onClick={toggleSecurity}>{port.port_security_enabled ? 'Turn port security off' : 'Turn port security on'}</button>
        </div>
      </form>
      <ConfirmDialog request={request} onClose={() => setRequest(null)} />
    </div>
  );
}
