// The store contract against SQLite: an in-memory database and a real file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIdentityStoreContract } from '../identity-store.contract.js';
import { runStoreContract } from '../store.contract.js';
import { createSqliteStore } from './sqlite-store.js';

runStoreContract('sqlite (file)', () => createSqliteStore(join(mkdtempSync(join(tmpdir(), 'palisade-')), 'p.db')));
runStoreContract('sqlite (memory)', () => createSqliteStore(':memory:'));
runIdentityStoreContract('sqlite', () => createSqliteStore(':memory:'));
