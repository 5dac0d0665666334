// Public surface of the store layer: the Store interface and the two back-ends main.ts wires in.
export type { Store, StoreSession, Scope, RuleScope, PortScope, RbacScope, QuotaResource, NewChange } from './store.js';
export type { BulkLoad, BulkRule } from './bulk-load.js';
export { createSqliteStore } from './sqlite/sqlite-store.js';
export { createPostgresStore, type PostgresOptions } from './postgres/postgres-store.js';
export type { IdentityStore, StoredUser } from './identity-store.js';
