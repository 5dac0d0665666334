// The libnftables coprocess: commits in the namespace, a refused batch changes nothing, restarts after loss, leaves with its namespace.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './command-runner.js';
import { NftCoprocess } from './nft-coprocess.js';
import { hasCapability } from '../../test/support/capability.js';

const NS = `pfco${process.pid % 100000}`;
const missing = process.getuid?.() !== 0 ? 'needs root for network namespaces'
  : spawnSync('sh', ['-c', 'command -v nft && command -v python3 && command -v nsenter']).status !== 0 ? 'nft, python3 or nsenter is not installed' : null;
const can = hasCapability('nft coprocess (root, nft, python3, nsenter)', missing);
const list = () => runCommand(['nft', 'list', 'table', 'inet', 'cotest'], { netns: NS });
const until = async (ok: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
};

if (can) describe('nft coprocess (needs root, nft, python3)', () => {
  beforeAll(async () => {
    await runCommand(['ip', 'netns', 'add', NS]);
  });
  afterAll(async () => {
    await runCommand(['ip', 'netns', 'del', NS]).catch(() => undefined);
  });

  it('commits each script as one transaction in the namespace; a refused batch changes nothing and says why', async () => {
    const co = new NftCoprocess(NS);
    await co.run('add table inet cotest\nadd set inet cotest s { type ipv4_addr; }\nadd element inet cotest s { 10.0.0.1 }\n');
    expect(await list()).toContain('10.0.0.1');
    const refused = co.run('add element inet cotest s { 10.0.0.2 }\nadd element inet cotest nosuchset { 10.0.0.3 }\n');
    await expect(refused).rejects.toThrow(/nosuchset|No such file/);
    expect(await list()).not.toContain('10.0.0.2');
    await Promise.all([co.run('add element inet cotest s { 10.0.0.4 }\n'), co.run('add element inet cotest s { 10.0.0.5 }\n')]);
    expect(await list()).toMatch(/10\.0\.0\.4.*10\.0\.0\.5|10\.0\.0\.5.*10\.0\.0\.4/s);
    expect(await runCommand(['nft', 'list', 'tables'])).not.toContain('cotest');
    co.close();
  });

  it('element changes go to the kernel as one netlink batch: all applied, or none (a missing element aborts it)', async () => {
    const co = new NftCoprocess(NS);
    await co.run('add table inet eltest\nadd set inet eltest m4 { type ipv4_addr; }\nadd set inet eltest m6 { type ipv6_addr; }\nadd element inet eltest m4 { 10.0.0.1 }\n');
    const listEl = async () => (await runCommand(['nft', 'list', 'table', 'inet', 'eltest'], { netns: NS })).replace(/\s+/g, ' ');
    const many = Array.from({ length: 2500 }, (_, i) => `10.2.${i >> 8}.${i & 255}`);
    // 30,000 IPv6 keys: an 840 KB batch, past the default socket send buffer.
    const many6 = Array.from({ length: 30_000 }, (_, i) => `fd01::${i.toString(16)}`);
    await co.elements('eltest', [
      { set: 'm4', version: 4, delete: true, keys: ['10.0.0.1'] },
      { set: 'm4', version: 4, delete: false, keys: ['10.0.0.2', ...many] },
      { set: 'm6', version: 6, delete: false, keys: ['fd00::7', '2001:db8::1'] },
    ]);
    await co.elements('eltest', [{ set: 'm6', version: 6, delete: false, keys: many6 }]);
    expect((await runCommand(['nft', 'list', 'set', 'inet', 'eltest', 'm6'], { netns: NS })).match(/fd01::/g)).toHaveLength(30_000);
    await co.elements('eltest', [{ set: 'm6', version: 6, delete: true, keys: many6 }]);
    let text = await listEl();
    expect(text).not.toContain('10.0.0.1,');
    expect(text).toContain('10.0.0.2');
    expect(text).toContain('10.2.9.195');
    expect(text).toMatch(/elements = \{ (fd00::7, 2001:db8::1|2001:db8::1, fd00::7) \}/);
    expect((await runCommand(['nft', 'list', 'set', 'inet', 'eltest', 'm4'], { netns: NS })).match(/10\.2\./g)).toHaveLength(2500);
    // Adding what is there is no error (as `nft add element`); deleting what is not aborts the batch, adds included.
    await co.elements('eltest', [{ set: 'm4', version: 4, delete: false, keys: ['10.0.0.2'] }]);
    const refused = co.elements('eltest', [{ set: 'm4', version: 4, delete: true, keys: ['10.9.9.9'] }, { set: 'm6', version: 6, delete: false, keys: ['fd00::8'] }]);
    await expect(refused).rejects.toThrow(/delete element in m4: No such file or directory/);
    await expect(co.elements('eltest', [{ set: 'nosuchset', version: 4, delete: false, keys: ['10.0.0.3'] }])).rejects.toThrow(/nosuchset/);
    await expect(co.elements('eltest', [{ set: 'm4', version: 4, delete: false, keys: ['not-an-address'] }])).rejects.toThrow(/netlink/);
    text = await listEl();
    expect(text).not.toContain('fd00::8');
    expect(text).not.toContain('10.0.0.3');
    // The coprocess goes on after refusals, scripts included.
    await co.run('add element inet eltest m6 { fd00::9 }\n');
    expect(await listEl()).toContain('fd00::9');
    co.close();
  });

  it('a lost coprocess fails what was in flight, and the next script starts a new one', async () => {
    const co = new NftCoprocess(NS);
    await co.start();
    const many = Array.from({ length: 20000 }, (_, i) => `10.1.${i >> 8}.${i & 255}`).join(', ');
    const inFlight = co.run(`add element inet cotest s { ${many} }\n`);
    await new Promise((r) => setImmediate(r));
    co.close();
    await expect(inFlight).rejects.toThrow(/closed/);
    await co.run('add element inet cotest s { 10.0.0.7 }\n');
    expect(await list()).toContain('10.0.0.7');
    co.close();
  });

  it('exits once its namespace is deleted (never keeps a dead namespace alive)', async () => {
    const ns = `${NS}x`;
    await runCommand(['ip', 'netns', 'add', ns]);
    const co = new NftCoprocess(ns);
    await co.run('add table inet gone\n');
    await runCommand(['ip', 'netns', 'del', ns]);
    await until(() => !co.running, 5000);
    expect(co.running).toBe(false);
  });
});
