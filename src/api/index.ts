// Public surface of the API layer: the app builder, the authenticators, and the wire types.
export { buildApp, type AppOptions } from './app.js';
export { noauthAuthenticator, type Authenticator } from './request-context-plugin.js';
export type {
  SecurityGroupRuleWire, SecurityGroupWire, FixedIpWire, PortWire, NetworkWire, SubnetWire, ChangeWire, ChangePageWire, RbacPolicyWire,
} from '../contract/index.js';
export { registerConsole } from './console-static.js';
export { registerIdentityRoutes, IDENTITY_PREFIX } from './identity-routes.js';
export { tokenAuthenticator, externalKeystoneAuthenticator, type ExternalKeystoneOptions } from './token-authenticator.js';
export type { MetricsOptions } from './metrics-routes.js';
