// What browser tests of the console share: Chromium's launch, a member user made through the identity
// API, signing in through the console's own form, and an accessibility check with axe-core.
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ConsoleServer } from './console-server.js';

export const CHROMIUM = process.env['PALISADE_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

interface IdentityAnswer {
  readonly status: number;
  readonly body: any;
  readonly token: string | null;
}

/** Calls the identity admin API of `server`. */
export async function identity(server: ConsoleServer, method: string, path: string, body?: unknown, token?: string): Promise<IdentityAnswer> {
  const res = await fetch(`${server.url}/identity/v3${path}`, {
    method, headers: { 'content-type': 'application/json', ...(token && { 'x-auth-token': token }) }, ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), token: res.headers.get('x-subject-token') };
}

export function passwordAuth(user: string, password: string, project: string) {
  const domain = { name: 'Default' };
  return { auth: { identity: { methods: ['password'], password: { user: { name: user, domain, password } } }, scope: { project: { name: project, domain } } } };
}

/** A fresh project with a member user of the same name (password `${name}-pw`), so reruns never collide. */
export async function createMember(server: ConsoleServer, name: string): Promise<void> {
  const admin = await identity(server, 'POST', '/auth/tokens', passwordAuth('admin', server.adminPassword, 'admin'));
  expect(admin.status, JSON.stringify(admin.body)).toBe(201);
  const token = admin.token!;
  const project = await identity(server, 'POST', '/projects', { project: { name } }, token);
  expect(project.status, JSON.stringify(project.body)).toBe(201);
  const user = await identity(server, 'POST', '/users', { user: { name, password: `${name}-pw` } }, token);
  expect(user.status, JSON.stringify(user.body)).toBe(201);
  expect((await identity(server, 'PUT', `/projects/${project.body.project.id}/users/${user.body.user.id}/roles/member`, undefined, token)).status).toBe(204);
}

/** Fills and submits the console's sign-in form. */
export async function signIn(page: Page, user: string, password: string, project: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('User name').fill(user);
  await form.getByLabel('Password').fill(password);
  await form.getByLabel('Project').fill(project);
  expect(await form.getByLabel('Domain').inputValue()).toBe('Default');
  await form.getByRole('button', { name: 'Sign in' }).click();
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules and axe's best practices) on the page as it is, and returns the
 * violations of impact `serious` or `critical`.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.addScriptTag({ content: AXE_SOURCE });
  // Browser-side code as a string: this file is type-checked for Node, without the DOM library.
  const result = await page.evaluate<{ violations: AxeViolation[] }>(
    "window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
  );
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per violation and element, for an assertion message. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}) at ${JSON.stringify(n.target)}`)).join('\n');
}
