// The agent's persisted state: snapshot plus journal round trip, torn and stale journal lines, when to snapshot again.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostChangeWire, PortWire } from '../contract/index.js';
import { AgentModel } from './agent-model.js';
import { AgentStateStore } from './agent-state-store.js';

const AT = '2026-01-01T00:00:00Z';
const base = { project_id: 'p', tenant_id: 'p', revision_number: 1, created_at: AT, updated_at: AT, description: '' };
const port = (id: string, ip: string): PortWire => ({
  ...base, id, name: id, network_id: 'n', mac_address: '02:00:00:00:00:01', fixed_ips: [{ subnet_id: 's', ip_address: ip }],
  device_id: 'd', device_owner: 'compute:nova', 'binding:host_id': 'h1', admin_state_up: true, status: 'ACTIVE', security_groups: [],
  port_security_enabled: true, allowed_address_pairs: [],
});
const change = (seq: number, id: string, del = false): HostChangeWire =>
  ({ seq, resource: 'port', action: del ? 'delete' : 'create', id, object: del ? null : port(id, `10.0.0.${seq}`) });
/** A host-feed page: from `since` to the last record's seq, or to `seq`. */
const page = (since: number, changes: HostChangeWire[], seq = changes.at(-1)?.seq ?? since) => ({ since, seq, changes });

const dirs: string[] = [];
const store = () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-store-'));
  dirs.push(dir);
  return new AgentStateStore(dir);
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('agent state store', () => {
  it('a snapshot plus the journal gives back the model and the last sequence', async () => {
    const s = store();
    await s.saveSnapshot(AgentModel.of([port('a', '10.0.0.1')], [], []), 5);
    await s.append(page(5, [change(6, 'b'), change(7, 'a', true)]));
    await s.append(page(7, [change(8, 'c')]));
    const loaded = (await new AgentStateStore(s.dir).load())!;
    expect([loaded.seq, [...loaded.model.ports.keys()].sort()]).toEqual([8, ['b', 'c']]);
  });

  it('keeps address groups across a snapshot and its journal', async () => {
    const s = store();
    const ag = (addresses: string[]) => ({ ...base, id: 'ag', name: 'ag', addresses });
    await s.saveSnapshot(AgentModel.of([], [], [], [], [ag(['10.0.0.0/24'])]), 5);
    await s.append(page(5, [{ seq: 6, resource: 'address_group', action: 'update', id: 'ag', object: ag(['10.0.0.0/24', 'fd00::/64']) }]));
    const loaded = (await new AgentStateStore(s.dir).load())!;
    expect(loaded.model.addressesOf('ag').map((p) => p.version)).toEqual([4, 6]);
  });

  it('a torn last line ends the journal; records at or below the snapshot\'s sequence are skipped', async () => {
    const s = store();
    await s.saveSnapshot(AgentModel.of([], [], []), 10);
    await s.append(page(8, [change(9, 'old')]));
    await s.append(page(9, [change(11, 'b')]));
    appendFileSync(join(s.dir, 'journal.jsonl'), '{"since":11,"seq":12,"changes":[{"resource":"po');
    const loaded = (await new AgentStateStore(s.dir).load())!;
    expect([loaded.seq, [...loaded.model.ports.keys()]]).toEqual([11, ['b']]);
  });

  it('a hole in the journal ends it: the model stops at the record before, and the log is followed from there', async () => {
    const s = store();
    await s.saveSnapshot(AgentModel.of([], [], []), 10);
    await s.append(page(10, [change(11, 'b')]));
    await s.append(page(12, [change(13, 'd'), change(14, 'e')]));
    const loaded = (await new AgentStateStore(s.dir).load())!;
    expect([loaded.seq, [...loaded.model.ports.keys()]]).toEqual([11, ['b']]);
  });

  it('a host feed skips seqs (other hosts\' changes): a page stands from its `since` to its `seq`', async () => {
    const s = store();
    await s.saveSnapshot(AgentModel.of([], [], []), 10);
    await s.append(page(10, [change(12, 'b'), change(15, 'c')], 20));
    await s.append(page(20, [], 31));
    await s.append(page(31, [change(40, 'b', true)]));
    const loaded = (await new AgentStateStore(s.dir).load())!;
    expect([loaded.seq, [...loaded.model.ports.keys()]]).toEqual([40, ['c']]);
  });

  it('asks for a snapshot once the journal passes 2,000 records; the snapshot empties it', async () => {
    const s = store();
    const model = AgentModel.of([], [], []);
    await s.saveSnapshot(model, 0);
    await s.append(page(0, Array.from({ length: 2000 }, (_, i) => change(i + 1, `p${i}`))));
    expect(s.wantsSnapshot).toBe(false);
    await s.append(page(2000, [change(2001, 'last')]));
    expect(s.wantsSnapshot).toBe(true);
    await s.saveSnapshot(model, 2001);
    expect([s.wantsSnapshot, readFileSync(join(s.dir, 'journal.jsonl'), 'utf8')]).toEqual([false, '']);
  });

  it('no snapshot: nothing to load (first start resyncs)', async () => {
    expect(await store().load()).toBeNull();
  });
});
