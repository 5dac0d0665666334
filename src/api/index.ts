// Public surface of the API layer: the app builder, the authenticators, and the wire types.
export { buildApp, type AppOptions } from './app.js';
export { noauthAuthenticator, type Authenticator } from './request-context-plugin.js';
export type * from './wire/neutron-wire.js';
export { registerConsole } from './console-static.js';
export { registerIdentityRoutes, IDENTITY_PREFIX } from './identity-routes.js';
export { tokenAuthenticator, externalKeystoneAuthenticator, type ExternalKeystoneOptions } from './token-authenticator.js';
