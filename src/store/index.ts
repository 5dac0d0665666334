// Public surface of the store layer: the Store interface and the two back-ends main.ts wires in.
export type {
  Store, StoreSession, Scope, RuleScope, PortScope, RbacScope, QuotaResource, NewChange, GroupListing, RuleListing, NetworkListing,
  HostChangeRow, HostFeedSession,
} from './store.js';
export type { ListQuery, ListFilter, ListSort, FilterValue, TagFilter, Page, Reader } from './list-query.js';
export { wantsField } from './list-query.js';
export type { BulkLoad, BulkRule } from './bulk-load.js';
export type { DefaultRuleScope } from './default-rule-rows.js';
export { createSqliteStore, type SqliteOptions, type SqliteSynchronous } from './sqlite/sqlite-store.js';
export { backupSqlite, restoreSqlite, checkPalisadeDatabase, NotPalisadeDatabaseError, DatabaseInUseError } from './sqlite/sqlite-backup.js';
export { NewerDatabaseError } from './migrator.js';
export { createPostgresStore, splitSchema, type PostgresOptions } from './postgres/postgres-store.js';
export type { QueryEvent, QueryObserver } from './query-observer.js';
export type { IdentityStore, ProjectChanges, StoredUser, UserChanges } from './identity-store.js';
export type { LockSchedule } from './sign-in-attempts.js';
