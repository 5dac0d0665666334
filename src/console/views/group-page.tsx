// One security group: its details, edit, copy and delete (blocked while instances use it), its findings, its rules and its history.
import { useCallback, useState } from 'react';
import type { SecurityGroupWire } from '../../contract/index.js';
import { getCredentials } from '../auth.js';
import { groupPortsIntoInstances, type Instance } from '../instances.js';
import { Link, navigate, useDocumentTitle } from '../navigation.js';
import { pageTitle } from '../route.js';
import { groupHistory } from '../history-client.js';
import { copyGroup, deleteGroup, getGroup, listGroupRefs, listPorts, listRulesNamingRemote, type GroupRef } from '../neutron-client.js';
import { dependentRules, dependentRulesSentence } from '../remote-dependents.js';
import { ruleSummary } from '../rule-format.js';
import { useResource } from '../use-resource.js';
import { ConfirmDialog, type ConfirmRequest } from '../ui/confirm-dialog.js';
import { ErrorBanner, Loading } from '../ui/feedback.js';
import { BulkUpload } from './bulk-upload.js';
import { FindingsPanel } from './findings-panel.js';
import { GroupEditForm } from './group-edit-form.js';
import { HistoryTable } from './history-table.js';
import { isDefaultGroup } from './groups-page.js';
import { RuleForm } from './rule-form.js';
import { groupNamer, RulesSection } from './rules-section.js';

function InstanceList(props: { instances: readonly Instance[] }) {
  if (props.instances.length === 0) return <span className="muted">No instance uses this group.</span>;
  return (
    <ul className="inline-list">
      {props.instances.map((i) => <li key={i.key}><Link to={{ page: 'instance', key: i.key }}>{i.name}</Link></li>)}
    </ul>
  );
}

function DeleteGroup(props: { group: SecurityGroupWire; groups: readonly GroupRef[]; isDefault: boolean }) {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const [blocked, setBlocked] = useState<readonly Instance[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const admin = getCredentials().role === 'admin';
  const start = async () => {
    setError(undefined);
    try {
      const users = groupPortsIntoInstances(await listPorts(props.group.id));
      if (users.length > 0) return setBlocked(users);
      setBlocked(null);
      const dependents = dependentRules(await listRulesNamingRemote(props.group.id), props.group.id);
      const name = groupNamer(props.groups);
      setRequest({
        title: `Delete security group ${props.group.name}?`,
        body: (
          <>
            <p>The group and its {props.group.security_group_rules?.length ?? 0} rules are removed. {dependentRulesSentence(dependents)}</p>
            {dependents.length > 0 ? (
              <ul aria-label="Rules deleted with the group">
                {dependents.map((r) => <li key={r.id}>Group <strong>{name(r.security_group_id) ?? r.security_group_id}</strong>: {ruleSummary(r, name)}</li>)}
              </ul>
            ) : null}
          </>
        ),
        confirmLabel: 'Delete group',
        action: async () => {
          await deleteGroup(props.group.id);
          navigate({ page: 'groups' });
        },
      });
    } catch (e) {
      setError(e);
    }
  };
  if (props.isDefault && !admin) return <p className="hint">The default group is protected: it cannot be deleted or renamed.</p>;
  return (
    <div>
      <button type="button" className="danger" onClick={() => void start()}>Delete group</button>
      {blocked ? (
        <div className="banner banner-error" role="alert">
          This group cannot be deleted while instances use it. Remove it from: <InstanceList instances={blocked} />
        </div>
      ) : null}
      <ErrorBanner error={error} />
      <ConfirmDialog request={request} onClose={() => setRequest(null)} />
    </div>
  );
}

/** "Copy group": a new group with the same rules, opened at once (the CSV round trip without the new group's egress rules). */
function CopyGroup(props: { group: SecurityGroupWire }) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const copy = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const created = await copyGroup(props.group.id);
      navigate({ page: 'group', id: created.id });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" disabled={busy} onClick={() => void copy()}>Copy group</button>
      <ErrorBanner error={error} title="Could not copy the group:" />
    </div>
  );
}

export function GroupPage(props: { id: string }) {
  const data = useResource(async () => {
    const [group, groups, ports] = await Promise.all([getGroup(props.id), listGroupRefs(), listPorts(props.id)]);
    return { group, groups, users: groupPortsIntoInstances(ports) };
  });
  const [editing, setEditing] = useState(false);
  useDocumentTitle(pageTitle({ page: 'group', id: props.id }, data.data?.group.name || undefined));
  if (!data.data) {
    return (
      <section>
        <p><Link to={{ page: 'groups' }}>← Security groups</Link></p>
        {data.loading ? <Loading what="the security group" /> : <ErrorBanner error={data.error} title="Could not load the security group:" />}
      </section>
    );
  }
  const { group, groups, users } = data.data;
  const isDefault = isDefaultGroup(group);
  return (
    <section aria-labelledby="group-title">
      <p><Link to={{ page: 'groups' }}>← Security groups</Link></p>
      <h1 id="group-title">
        {group.name || group.id} {isDefault ? <span className="badge">default</span> : null}
      </h1>
      <ErrorBanner error={data.error} title="Could not refresh:" />
      <dl className="facts">
        <dt>ID</dt><dd><code>{group.id}</code></dd>
        <dt>Description</dt><dd>{group.description || <span className="muted">None</span>}</dd>
        <dt>Stateful</dt><dd>{group.stateful ? 'Yes' : 'No (replies need their own rules)'}</dd>
        <dt>Used by</dt><dd><InstanceList instances={users} /></dd>
      </dl>
      {editing ? (
        <GroupEditForm group={group} isDefault={isDefault} onDone={(changed) => { setEditing(false); if (changed) data.reload(); }} />
      ) : (
        <div className="actions left">
          <button type="button" onClick={() => setEditing(true)}>{isDefault ? 'Edit description' : 'Rename / edit'}</button>
          <CopyGroup group={group} />
          <DeleteGroup group={group} groups={groups} isDefault={isDefault} />
        </div>
      )}
      {/* Keyed on the group's state: a rule added, deleted or fixed asks lint again. */}
      <FindingsPanel key={`${group.revision_number}:${group.security_group_rules?.length ?? 0}`} group={group} onChanged={data.reload} />
      <GroupTabs group={group} groups={groups} reload={data.reload} />
    </section>
  );
}

/** "Rules" (the rules, Add rule, bulk upload) and "History" (the group's changes, deleted rules too). */
function GroupTabs(props: { group: SecurityGroupWire; groups: readonly GroupRef[]; reload: () => void }) {
  const { group, groups, reload } = props;
  const [tab, setTab] = useState<'rules' | 'history'>('rules');
  const loadHistory = useCallback((marker: string | null) => groupHistory(group.id, marker), [group.id, group.revision_number]);
  const tabButton = (id: 'rules' | 'history', label: string) => (
    <button type="button" role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} className={tab === id ? 'tab active' : 'tab'} onClick={() => setTab(id)}>{label}</button>
  );
  return (
    <>
      <div role="tablist" aria-label="Group views" className="tabs">
        {tabButton('rules', 'Rules')}
        {tabButton('history', 'History')}
      </div>
      {tab === 'rules' ? (
        <div role="tabpanel" id="panel-rules" aria-labelledby="tab-rules">
          <RulesSection group={group} groups={groups} onChanged={reload} />
          <RuleForm group={group} groups={groups} onAdded={reload} />
          <BulkUpload group={group} groups={groups} onUploaded={reload} />
        </div>
      ) : (
        <div role="tabpanel" id="panel-history" aria-labelledby="tab-history" className="card">
          <HistoryTable label={`History of ${group.name || group.id}`} load={loadHistory} groupName={groupNamer(groups)} />
        </div>
      )}
    </>
  );
}
