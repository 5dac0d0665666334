import SqliteDatabase from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPragmas } from './sqlite-store.js';

describe('applyPragmas', () => {
  it('sets WAL, and synchronous NORMAL by default or FULL when asked (PALISADE_SQLITE_SYNCHRONOUS)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-pragmas-'));
    for (const [asked, level] of [[undefined, 1], ['normal', 1], ['full', 2]] as const) {
      const db = new SqliteDatabase(join(dir, `${asked}.db`));
      applyPragmas(db, asked);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(level);
      db.close();
    }
  });
});
