// The worker's response bodies: the matrix written piece by piece is the wire object, and its writing counts against the budget.
import { describe, expect, it } from 'vitest';
import type { PolicyEngine, ReachMatrix } from '../engine/index.js';
import { answerBody } from './analysis-body.js';
import { DEFAULT_ANALYSIS_LIMITS } from './analysis-limits.js';

// Enough edges for more than one megabyte of text: the body is encoded in several chunks and joined.
const EDGES = 40_000;
const matrix: ReachMatrix = {
  projectId: 'p "quoted"',
  services: ['tcp:22', 'icmp'],
  classes: [{ id: 0, instances: ['vm-a'], ports: ['a'] }, { id: 1, instances: ['vm-b', 'vm-é'], ports: ['b', 'c'] }],
  edges: Array.from({ length: EDGES }, (_, i) => ({ from: i % 2, to: (i + 1) % 2, services: i % 3 === 0 ? ['tcp:22', 'icmp'] : ['icmp'] })),
  portClassCount: 2,
};
const engine = { matrix: () => matrix } as unknown as PolicyEngine;
const question = { kind: 'matrix', projectId: 'p', services: [] } as const;

describe('analysis bodies', () => {
  it('writes a matrix as the JSON of its wire object, whole across chunks', () => {
    const body = answerBody(engine, question, DEFAULT_ANALYSIS_LIMITS, { tick() {} });
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(body.byteLength);
    expect(JSON.parse(Buffer.from(body).toString('utf8'))).toEqual({
      matrix: {
        project_id: matrix.projectId,
        services: matrix.services,
        classes: matrix.classes,
        edges: matrix.edges,
        port_class_count: 2,
      },
    });
  });

  it('checks the time budget while writing the edges, so a long write is stopped like a long computation', () => {
    let ticks = 0;
    answerBody(engine, question, DEFAULT_ANALYSIS_LIMITS, { tick: () => void ticks++ });
    expect(ticks).toBeGreaterThanOrEqual(EDGES / 4096);
  });
});
