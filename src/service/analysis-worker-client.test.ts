// The analysis worker: answers through the server's store as finished bodies; a worker that dies or hangs is replaced.
import { describe, expect, it } from 'vitest';
import { OverLimitError, UnavailableError, type Port } from '../domain/index.js';
import { DEFAULT_ANALYSIS_LIMITS } from './analysis-limits.js';
import { createAnalysisWorker } from './analysis-worker-client.js';
import type { EngineSource } from './engine-cache.js';

const AT = '2025-01-01T00:00:00Z';
const json = (body: Uint8Array) => JSON.parse(Buffer.from(body).toString('utf8'));

/** Stands in for the worker: announces each question, hangs for good on port "stuck", answers the others at once. */
const HANGING_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type !== 'ask') return;
  parentPort.postMessage({ type: 'started', id: m.id });
  if (m.question.portId === 'stuck') for (;;) {}
  const body = new TextEncoder().encode(JSON.stringify({ answered: m.question.portId }));
  parentPort.postMessage({ type: 'answer', id: m.id, body }, [body.buffer]);
});`;

function port(id: string): Port {
  return {
    id, projectId: 'p', networkId: 'n', name: id, description: '', macAddress: 'fa:16:3e:00:00:01', fixedIps: [{ subnetId: 's', ipAddress: '10.0.0.1' }],
    deviceId: id, deviceOwner: 'compute:nova', hostId: 'h', adminStateUp: true, securityGroupIds: [], portSecurityEnabled: true,
    allowedAddressPairs: [], revisionNumber: 1, createdAt: AT, updatedAt: AT,
  };
}

/** A store holding ports; `huge` makes its snapshot far larger than the worker's heap may grow. */
function fakeStore(state: { huge: boolean }): EngineSource {
  return {
    latestChangeSeq: async () => 0,
    oldestChangeSeq: async () => 0,
    listChanges: async () => [],
    listGroups: async () => [],
    listRules: async () => [],
    listAddressGroups: async () => [],
    listPorts: async () => (state.huge ? Array.from({ length: 400_000 }, (_, i) => port(`p${i}`)) : [port('p1')]),
  } as unknown as EngineSource;
}

describe('analysis worker', () => {
  it('restarts after dying, failing only the question it was answering with AnalysisUnavailable', async () => {
    const state = { huge: true };
    const worker = createAnalysisWorker({ store: fakeStore(state), database: null, limits: DEFAULT_ANALYSIS_LIMITS, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    try {
      const failed = await worker.ask({ kind: 'effective-rules', portId: 'p1' }, -1).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(UnavailableError);
      expect((failed as UnavailableError).code).toBe('AnalysisUnavailable');
      state.huge = false;
      expect(json(await worker.ask({ kind: 'effective-rules', portId: 'p1' }, -1))).toMatchObject({ effective_rules: { port_id: 'p1', filtering: 'filtered' } });
    } finally {
      await worker.close();
    }
  });

  it('warm() loads the snapshot before any question is asked', async () => {
    const loaded: string[] = [];
    const store = fakeStore({ huge: false });
    const spied: EngineSource = { ...store, listPorts: async (scope) => { loaded.push('ports'); return store.listPorts(scope); } };
    const worker = createAnalysisWorker({ store: spied, database: null, limits: DEFAULT_ANALYSIS_LIMITS });
    try {
      worker.warm();
      for (let i = 0; i < 500 && loaded.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(loaded).toEqual(['ports']);
      expect(json(await worker.ask({ kind: 'effective-rules', portId: 'p1' }, -1))).toMatchObject({ effective_rules: { port_id: 'p1' } });
      expect(loaded).toEqual(['ports']);
    } finally {
      await worker.close();
    }
  });

  it('carries engine errors back as domain errors', async () => {
    const worker = createAnalysisWorker({ store: fakeStore({ huge: false }), database: null, limits: DEFAULT_ANALYSIS_LIMITS });
    try {
      await expect(worker.ask({ kind: 'effective-rules', portId: 'nope' }, -1)).rejects.toMatchObject({ kind: 'not-found', code: 'PortNotFound' });
    } finally {
      await worker.close();
    }
  });

  it('stops a worker stuck past the time limit: 422 for that question, 503 for the one queued behind it, a fresh worker for the next', async () => {
    const worker = createAnalysisWorker({ store: fakeStore({ huge: false }), database: null, limits: { ...DEFAULT_ANALYSIS_LIMITS, timeoutMs: 1 }, watchdogGraceMs: 0, workerScript: HANGING_WORKER });
    try {
      const stuck = worker.ask({ kind: 'effective-rules', portId: 'stuck' }, -1).catch((e: unknown) => e);
      const queued = worker.ask({ kind: 'effective-rules', portId: 'p1' }, -1).catch((e: unknown) => e);
      expect(await stuck).toBeInstanceOf(OverLimitError);
      expect(await stuck).toMatchObject({ code: 'AnalysisTimeLimitExceeded', message: expect.stringContaining('analysis_timeout_ms') });
      expect(await queued).toBeInstanceOf(UnavailableError);
      expect(await queued).toMatchObject({ code: 'AnalysisUnavailable' });
      expect(json(await worker.ask({ kind: 'effective-rules', portId: 'p2' }, -1))).toEqual({ answered: 'p2' });
    } finally {
      await worker.close();
    }
  });
});
