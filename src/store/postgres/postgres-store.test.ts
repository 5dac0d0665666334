// The store contract against PostgreSQL, in a schema of its own that is dropped afterwards.
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { hasCapability } from '../../../test/support/capability.js';
import { runStoreContract } from '../store.contract.js';
import { createPostgresStore } from './postgres-store.js';

const url = process.env['PALISADE_TEST_POSTGRES_URL'];
const schema = `palisade_test_${process.pid}_${Date.now()}`;

describe('postgres store', () => {
  if (!hasCapability('PostgreSQL', url ? null : 'set PALISADE_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')) return;
  runStoreContract('postgres', () => createPostgresStore(url!, { schema }));
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });
});
