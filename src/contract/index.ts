// Public surface of the contract layer: what the server and every client agree on, pure and browser-safe.
export * from './protocol-table.js';
export * from './ip-address.js';
export * from './address-words.js';
export * from './rule-checks.js';
export * from './rule-identity.js';
export type * from './neutron-wire.js';
export type * from './analysis-wire.js';
export type * from './rule-set-wire.js';
export * from './host-feed-wire.js';
export type * from './default-rule-wire.js';
export * from './rule-templates.js';
export * from './csv-codec.js';
export * from './rules-csv-format.js';
