// Every console page, checked by axe-core in Chromium: no serious or critical accessibility violation,
// on pages that hold real content (a group with rules, an instance with two groups, a network).
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCapability } from './support/capability.js';
import { CHROMIUM, createMember, describeViolations, identity, launchChromium, passwordAuth, seriousAxeViolations, signIn } from './support/console-browser.js';
import { startConsoleServer, type ConsoleServer } from './support/console-server.js';

/** Calls the Neutron API as the member, failing the test on an error answer. */
async function neutron(server: ConsoleServer, token: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${server.url}/v2.0${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify(body) });
  const answer = await res.json();
  expect(res.status, JSON.stringify(answer)).toBe(201);
  return answer;
}

async function heading(page: Page): Promise<string | null> {
  return page.getByRole('heading', { level: 1 }).textContent();
}

describe('console accessibility (axe-core in Chromium)', () => {
  const missing = existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (apt-get install -y chromium)`;
  if (!hasCapability('Chromium', missing)) return;

  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  const project = `a11y-${Date.now().toString(36)}`;

  beforeAll(async () => {
    server = await startConsoleServer();
    await createMember(server, project);
    const token = (await identity(server, 'POST', '/auth/tokens', passwordAuth(project, `${project}-pw`, project))).token!;
    const web = (await neutron(server, token, '/security-groups', { security_group: { name: 'web', description: 'web tier' } })).security_group;
    for (const port of [22, 80, 443]) {
      await neutron(server, token, '/security-group-rules', { security_group_rule: { security_group_id: web.id, direction: 'ingress', protocol: 'tcp', port_range_min: port, port_range_max: port, remote_ip_prefix: '10.0.0.0/8', description: `port ${port}` } });
    }
    const net = (await neutron(server, token, '/networks', { network: { name: 'net1' } })).network;
    await neutron(server, token, '/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.0.0.0/24' } });
    await neutron(server, token, '/ports', { port: { network_id: net.id, name: 'vm1', device_id: 'vm1', security_groups: [web.id] } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function expectAccessible(name: string): Promise<void> {
    const violations = await seriousAxeViolations(page);
    expect(violations, `${name}:\n${describeViolations(violations)}`).toEqual([]);
  }

  it('finds no serious or critical violation on any page', async () => {
    await page.goto(`${server.url}/`);
    await expect.poll(() => heading(page)).toBe('Sign in to Palisade');
    await expectAccessible('sign-in page');

    // A failed sign-in shows an alert: the form with its error must stay accessible too.
    await signIn(page, project, 'wrong-password', project);
    await expect.poll(() => page.getByRole('form', { name: 'Sign in' }).getByRole('alert').count()).toBe(1);
    await expectAccessible('sign-in page with an error');

    await signIn(page, project, `${project}-pw`, project);
    await expect.poll(() => page.getByRole('table', { name: 'Security groups' }).textContent()).toContain('web');
    await expectAccessible('security groups page');

    await page.getByRole('table', { name: 'Security groups' }).getByRole('link', { name: 'web', exact: true }).click();
    await expect.poll(() => heading(page)).toContain('web');
    await expect.poll(() => page.getByRole('heading', { name: /^Rules \(/ }).textContent()).toContain('5');
    await expectAccessible('security group page');

    await page.getByRole('link', { name: 'Instances', exact: true }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Instances' }).textContent()).toContain('vm1');
    await expectAccessible('instances page');

    await page.getByRole('table', { name: 'Instances' }).getByRole('link', { name: 'vm1' }).click();
    await expect.poll(() => heading(page)).toBe('vm1');
    await expect.poll(() => page.getByRole('table', { name: 'Effective rules of vm1' }).textContent()).toContain('443');
    await expectAccessible('instance page');

    await page.getByRole('link', { name: 'Networks', exact: true }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Networks' }).textContent()).toContain('10.0.0.0/24');
    await expectAccessible('networks page');

    await page.getByRole('link', { name: 'Reachability', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('Reachability');
    await expectAccessible('reachability page');

    await page.goto(`${server.url}/no-such-page`);
    await expect.poll(() => heading(page)).toBe('Page not found');
    await expectAccessible('not-found page');
  }, 240_000);

  it('would catch a violation: a button without a name added to the page is reported as critical', async () => {
    await page.goto(`${server.url}/networks`);
    await expect.poll(() => heading(page)).toBe('Networks');
    await page.evaluate("document.querySelector('main').appendChild(document.createElement('button'))");
    const violations = await seriousAxeViolations(page);
    expect(violations.map((v) => `${v.impact} ${v.id}`)).toContain('critical button-name');
  }, 60_000);
});
