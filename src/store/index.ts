// Public surface of the store layer: the Store interface and the two back-ends main.ts wires in.
export type { Store, StoreSession, Scope, RuleScope, PortScope, RbacScope, QuotaResource, NewChange } from './store.js';
export { createSqliteStore } from './sqlite/sqlite-store.js';
export { createPostgresStore, type PostgresOptions } from './postgres/postgres-store.js';
export type { IdentityStore, ProjectChanges, StoredUser, UserChanges } from './identity-store.js';
export type { LockSchedule } from './sign-in-attempts.js';
