// Every domain error code has an HTTP mapping and a row in docs/errors.md, and the doc lists no stray code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, NotFoundError, QuotaExceededError } from '../domain/index.js';
import { STATUS_BY_KIND, statusOf } from './neutron-errors.js';

const DOC = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = new Map(
  [...DOC.matchAll(/^\| `([A-Za-z]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const),
);

describe('error registry', () => {
  it('maps every kind to a status', () => {
    for (const kind of new Set(Object.values(ERROR_CODES))) expect(STATUS_BY_KIND[kind]).toBeGreaterThanOrEqual(400);
  });

  it('documents every code with its real status, and nothing else', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      expect(documented.has(code), `docs/errors.md lacks ${code}`).toBe(true);
    }
    for (const [code, status] of documented) {
      expect(code in ERROR_CODES, `docs/errors.md lists unknown ${code}`).toBe(true);
      const kind = ERROR_CODES[code as keyof typeof ERROR_CODES];
      if (!code.startsWith('HTTP')) expect(status, code).toBe(STATUS_BY_KIND[kind]);
    }
  });

  it('gives errors the status of their kind', () => {
    expect(statusOf(new NotFoundError('PortNotFound', 'x'))).toBe(404);
    expect(statusOf(new QuotaExceededError(['port']))).toBe(409);
  });
});
