// Configuration: defaults, environment over file, and a clear message for every bad value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({ host: '127.0.0.1', port: 9696, database: { kind: 'sqlite', path: './data/palisade.db' }, auth: 'keystone', tokenTtlSeconds: 3600 });
  });

  it('reads a JSON file and lets the environment win', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'palisade-config-')), 'c.json');
    writeFileSync(file, JSON.stringify({ listen: '127.0.0.1:7000', database_url: 'postgres://u@h/db' }));
    expect(loadConfig({ PALISADE_CONFIG: file })).toMatchObject({ port: 7000, database: { kind: 'postgres', url: 'postgres://u@h/db' } });
    expect(loadConfig({ PALISADE_CONFIG: file, PALISADE_LISTEN: '[::1]:7001' })).toMatchObject({ host: '::1', port: 7001 });
  });

  it.each([
    [{ PALISADE_LISTEN: '9696' }, 'PALISADE_LISTEN must be host:port'],
    [{ PALISADE_LISTEN: '127.0.0.1:70000' }, 'PALISADE_LISTEN must be host:port'],
    [{ PALISADE_DATABASE_URL: 'mysql://x' }, 'must start with sqlite: or postgres://'],
    [{ PALISADE_DATABASE_URL: 'sqlite:' }, 'needs a file path'],
    [{ PALISADE_CHANGE_RETENTION: '-1' }, 'PALISADE_CHANGE_RETENTION must be a whole number'],
    [{ PALISADE_HISTORY_RETENTION_DAYS: 'forever' }, 'PALISADE_HISTORY_RETENTION_DAYS must be a whole number'],
    [{ PALISADE_LOG_LEVEL: 'loud' }, 'PALISADE_LOG_LEVEL must be one of'],
    [{ PALISADE_CONFIG: '/nonexistent/palisade.json' }, 'cannot read config file'],
    [{ PALISADE_PUBLIC_URL: 'cloud.example.com' }, 'PALISADE_PUBLIC_URL must be http(s)://host[:port][/path]'],
    [{ PALISADE_PUBLIC_URL: 'https://cloud.example.com/?x=1' }, 'PALISADE_PUBLIC_URL must be'],
    [{ PALISADE_PUBLIC_URL: 'https://user:pw@cloud.example.com' }, 'PALISADE_PUBLIC_URL must be'],
  ])('%j → %s', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('PALISADE_PUBLIC_URL: absent by default, trailing slashes dropped, also read from the file as public_url', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PALISADE_PUBLIC_URL: 'https://cloud.example.com:8443/net/' }).publicUrl).toBe('https://cloud.example.com:8443/net');
    const file = join(mkdtempSync(join(tmpdir(), 'palisade-config-')), 'c.json');
    writeFileSync(file, JSON.stringify({ public_url: 'http://[::1]:9696' }));
    expect(loadConfig({ PALISADE_CONFIG: file }).publicUrl).toBe('http://[::1]:9696');
  });

  it('refuses unknown keys in the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'palisade-config-')), 'c.json');
    writeFileSync(file, JSON.stringify({ lisen: 'x' }));
    expect(() => loadConfig({ PALISADE_CONFIG: file })).toThrow("unknown key 'lisen'");
  });
  it('auth modes: keystone by default, external needs a Keystone URL, token lifetime is checked', () => {
    expect(loadConfig({ PALISADE_AUTH: 'noauth' }).auth).toBe('noauth');
    expect(() => loadConfig({ PALISADE_AUTH: 'external' })).toThrow('PALISADE_KEYSTONE_URL');
    expect(loadConfig({ PALISADE_AUTH: 'external', PALISADE_KEYSTONE_URL: 'https://ks:5000/v3' })).toMatchObject({ auth: 'external', keystoneUrl: 'https://ks:5000/v3' });
    expect(() => loadConfig({ PALISADE_AUTH: 'ldap' })).toThrow("one of keystone, noauth, external; got 'ldap'");
    expect(loadConfig({ PALISADE_TOKEN_TTL: '60', PALISADE_BOOTSTRAP_ADMIN_PASSWORD: 's3cret' })).toMatchObject({ tokenTtlSeconds: 60, bootstrapAdminPassword: 's3cret' });
    expect(() => loadConfig({ PALISADE_TOKEN_TTL: '0' })).toThrow('PALISADE_TOKEN_TTL');
  });

  it('operations: metrics token and listener, readiness bound, shutdown timeout, SQLite synchronous', () => {
    expect(loadConfig({})).toMatchObject({ shutdownTimeoutMs: 10000, readyMaxLag: 1000, sqliteSynchronous: 'normal' });
    expect(loadConfig({}).metricsListen).toBeUndefined();
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ PALISADE_METRICS_LISTEN: '9697', PALISADE_METRICS_TOKEN: 't' })).toMatchObject({ metricsListen: { host: '127.0.0.1', port: 9697 }, metricsToken: 't' });
    expect(loadConfig({ PALISADE_METRICS_LISTEN: '[::1]:9697' }).metricsListen).toEqual({ host: '::1', port: 9697 });
    expect(() => loadConfig({ PALISADE_METRICS_LISTEN: 'nowhere' })).toThrow('PALISADE_METRICS_LISTEN must be host:port');
    expect(loadConfig({ PALISADE_SQLITE_SYNCHRONOUS: 'full', PALISADE_SHUTDOWN_TIMEOUT_MS: '2500', PALISADE_READY_MAX_LAG: '0' })).toMatchObject({ sqliteSynchronous: 'full', shutdownTimeoutMs: 2500, readyMaxLag: 0 });
    expect(() => loadConfig({ PALISADE_SQLITE_SYNCHRONOUS: 'off' })).toThrow("PALISADE_SQLITE_SYNCHRONOUS must be normal or full, got 'off'");
    expect(() => loadConfig({ PALISADE_SHUTDOWN_TIMEOUT_MS: '-1' })).toThrow('PALISADE_SHUTDOWN_TIMEOUT_MS');
  });
});
