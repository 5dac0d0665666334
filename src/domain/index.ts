// Public surface of the domain layer: the pure model of security groups, rules and ports.
export * from './errors.js';
export * from './protocol.js';
export * from './ether-type.js';
export * from './direction.js';
export * from './cidr.js';
export * from './port-range.js';
export * from './text-attribute.js';
export * from './security-group-rule.js';
export * from './security-group.js';
export * from './port.js';
export * from './network.js';
export * from './change.js';
export * from './rule-expiry.js';
export * from './ip-allocation.js';
export * from './identity.js';
export * from './rbac-policy.js';
export * from './project-id.js';
