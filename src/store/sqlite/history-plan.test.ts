// History and audit queries use the change log's indexes: SQLite's plan for each, never a scan of the whole log.
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditFilter } from '../../domain/index.js';
import { createSqliteStore, type Store } from '../index.js';

let store: Store;
let path: string;
const statements: string[] = [];
beforeAll(async () => {
  path = join(mkdtempSync(join(tmpdir(), 'palisade-plan-')), 'p.db');
  store = await createSqliteStore(path, { onQuery: (e) => statements.push(e.sql) });
});
afterAll(() => store.close());

/** SQLite's plans for the statements listHistory runs with `filter`, as lines of text. */
async function planOf(filter: AuditFilter, marker?: number): Promise<string> {
  statements.length = 0;
  await store.listHistory(filter, { limit: 10, ...(marker !== undefined && { marker }) });
  const db = new Database(path, { readonly: true });
  try {
    return statements.filter((s) => s.startsWith('select')).map((sql) => {
      const params = Array.from(sql.matchAll(/\?/g), () => 'x');
      const rows = db.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[];
      return rows.map((r) => r.detail).join('\n');
    }).join('\n');
  } finally {
    db.close();
  }
}

describe('history query plans (SQLite)', () => {
  it.each<[string, AuditFilter, RegExp]>([
    ["a group's history", { groupId: 'g' }, /USING INDEX changes_group_seq \(group_id=\?/],
    ["a member's audit", { projectId: 'p' }, /USING INDEX changes_project_seq \(project_id=\?/],
    ["a member's audit by action", { projectId: 'p', action: 'delete' }, /USING INDEX changes_project_seq \(project_id=\?/],
    ['an audit by user', { user: 'alice' }, /changes_user_seq \(actor_user_id=\? AND seq<\?\)[\s\S]*changes_user_name_seq \(actor_user_name=\? AND seq<\?\)/],
  ])('%s searches an index, and each before is one indexed lookup', async (_, filter, index) => {
    const plan = await planOf(filter, 100);
    expect(plan).toMatch(index);
    expect(plan).toMatch(/SEARCH p USING (COVERING )?INDEX changes_object_seq \(object_id=\? AND seq<\?\)/);
    expect(plan).not.toMatch(/^SCAN c$/m);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it("an admin's unfiltered audit walks the log newest first and stops at the page (no sort)", async () => {
    const plan = await planOf({});
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
