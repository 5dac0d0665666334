// The error registry and docs/errors.md agree cell by cell: every type, its status, and a "when" for each.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, NotFoundError, QuotaExceededError } from '../domain/index.js';
import { HttpError, methodNotAllowed } from './http-errors.js';
import { STATUS_BY_KIND, STATUS_BY_TYPE, statusOf } from './neutron-errors.js';

const DOC = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** The table's body rows, split into cells the way a Markdown renderer splits them. */
function tableRows(): string[][] {
  const lines = DOC.split('\n').filter((l) => l.startsWith('| `'));
  return lines.map((l) => l.slice(1, l.endsWith('|') ? -1 : undefined).split('|').map((c) => c.trim()));
}

describe('error registry', () => {
  it('maps every kind to a status', () => {
    for (const kind of new Set(Object.values(ERROR_CODES))) expect(STATUS_BY_KIND[kind]).toBeGreaterThanOrEqual(400);
  });

  it('documents every type once, with its real status and a non-empty "when", and nothing else', () => {
    const rows = tableRows();
    const seen = new Set<string>();
    for (const row of rows) {
      expect(row, `a row of three cells: ${row.join(' | ')}`).toHaveLength(3);
      const [typeCell, statusCell, when] = row as [string, string, string];
      const type = /^`([A-Za-z]+)`$/.exec(typeCell)?.[1];
      expect(type, `type cell ${typeCell}`).toBeDefined();
      expect(seen.has(type!), `${type} listed twice`).toBe(false);
      seen.add(type!);
      expect(Object.hasOwn(STATUS_BY_TYPE, type!), `docs/errors.md lists unknown ${type}`).toBe(true);
      expect(Number(statusCell), type).toBe(STATUS_BY_TYPE[type as keyof typeof STATUS_BY_TYPE]);
      expect(when.length, `${type} has an empty "when"`).toBeGreaterThan(10);
    }
    for (const type of Object.keys(STATUS_BY_TYPE)) expect(seen.has(type), `docs/errors.md lacks ${type}`).toBe(true);
  });

  it('gives domain errors the status of their kind, HTTP errors their own', () => {
    expect(statusOf(new NotFoundError('PortNotFound', 'x'))).toBe(404);
    expect(statusOf(new QuotaExceededError(['port']))).toBe(409);
    expect(methodNotAllowed('PUT').statusCode).toBe(405);
    expect(new HttpError('HTTPRequestURITooLong', 'x').statusCode).toBe(414);
  });

  it('keeps HTTP-only types out of the domain', () => {
    for (const type of ['HTTPMethodNotAllowed', 'HTTPRequestEntityTooLarge', 'HTTPRequestURITooLong', 'HTTPUnsupportedMediaType']) {
      expect(Object.hasOwn(ERROR_CODES, type), type).toBe(false);
    }
  });
});
