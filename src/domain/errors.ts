// Domain errors: a small closed set of typed failures with stable codes; HTTP lives in api/.

/** One problem found in an input; validation collects every one it finds. */
export interface InputIssue {
  readonly path: string;
  readonly code: ErrorCode;
  readonly message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

export type DomainErrorKind =
  | 'not-found'
  | 'conflict'
  | 'in-use'
  | 'invalid-input'
  | 'quota-exceeded'
  | 'forbidden'
  | 'precondition-failed'
  | 'unauthenticated'
  | 'gone'
  | 'over-limit'
  | 'unavailable';

export class NotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}

export class InUseError extends DomainError {
  readonly kind = 'in-use' as const;
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated' as const;
}

/** A change-log position that has been compacted away; the follower must resync. */
export class GoneError extends DomainError {
  readonly kind = 'gone' as const;
}

/** A question that would cost more than the configured limits (ports, services, time) allow. */
export class OverLimitError extends DomainError {
  readonly kind = 'over-limit' as const;
}

/** A part of the server that answers a request is down for a moment; the request may be retried. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable' as const;
}

/** `If-Match: revision_number=N` did not match the object's revision. */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition-failed' as const;
}

export class QuotaExceededError extends DomainError {
  readonly kind = 'quota-exceeded' as const;
  readonly resources: readonly string[];
  constructor(resources: readonly string[]) {
    super('OverQuota', `Quota exceeded for resources: [${resources.map((r) => `'${r}'`).join(', ')}].`);
    this.resources = resources;
  }
}

/** Bad input. `code` is the Neutron-style type of the first issue; `issues` holds them all. */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid-input' as const;
  readonly issues: readonly InputIssue[];
  constructor(issues: readonly InputIssue[]) {
    const first = issues[0];
    if (first === undefined) throw new BugError('InvalidInputError needs at least one issue');
    super(first.code, issues.map((i) => i.message).join('\n'));
    this.issues = issues;
  }
  static of(code: ErrorCode, message: string, path = ''): InvalidInputError {
    return new InvalidInputError([{ path, code, message }]);
  }
}

/** An impossible state: a bug in Palisade, never a user mistake. */
export class BugError extends Error {
  constructor(message: string) {
    super(`Bug: ${message}`);
    this.name = 'BugError';
  }
}

export function assertNever(value: never): never {
  throw new BugError(`unexpected value ${JSON.stringify(value)}`);
}

/** Every domain error code with its kind; api/neutron-errors.ts maps each kind to HTTP (HTTP-only types live in api/http-errors.ts). */
export const ERROR_CODES = {
  HTTPBadRequest: 'invalid-input',
  HTTPNotFound: 'not-found',
  HTTPUnauthorized: 'unauthenticated',
  HTTPForbidden: 'forbidden',
  SecurityGroupNotFound: 'not-found',
  SecurityGroupRuleNotFound: 'not-found',
  TagNotFound: 'not-found',
  TagResourceNotFound: 'not-found',
  PortNotFound: 'not-found',
  NetworkNotFound: 'not-found',
  SubnetNotFound: 'not-found',
  ExtensionNotFound: 'not-found',
  AddressGroupNotFound: 'not-found',
  AddressesNotFound: 'not-found',
  AddressGroupInUse: 'in-use',
  AddressesAlreadyExist: 'invalid-input',
  SecurityGroupDefaultAlreadyExists: 'conflict',
  SecurityGroupCannotUpdateDefault: 'conflict',
  SecurityGroupCannotRemoveDefault: 'conflict',
  SecurityGroupNameAmbiguous: 'conflict',
  SecurityGroupInUse: 'in-use',
  SecurityGroupRuleExists: 'conflict',
  DuplicateSecurityGroupRuleInPost: 'conflict',
  SecurityGroupConflict: 'conflict',
  IpAddressAlreadyAllocated: 'conflict',
  IpAddressGenerationFailure: 'conflict',
  MacAddressInUse: 'conflict',
  NetworkInUse: 'in-use',
  SubnetInUse: 'in-use',
  OverQuota: 'quota-exceeded',
  RevisionNumberConstraintFailed: 'precondition-failed',
  DefaultSecurityGroupRuleNotFound: 'not-found',
  DefaultSecurityGroupRuleExists: 'in-use',
  DuplicateDefaultSgRuleInPost: 'in-use',
  PolicyNotAuthorized: 'forbidden',
  SecurityGroupRuleInvalidProtocol: 'invalid-input',
  SecurityGroupInvalidPortValue: 'invalid-input',
  SecurityGroupInvalidPortRange: 'invalid-input',
  SecurityGroupRuleInvalidEtherType: 'invalid-input',
  InvalidCIDR: 'invalid-input',
  SecurityGroupProtocolRequiredWithPorts: 'invalid-input',
  SecurityGroupInvalidIcmpValue: 'invalid-input',
  SecurityGroupMissingIcmpType: 'invalid-input',
  SecurityGroupInvalidProtocolForPort: 'invalid-input',
  SecurityGroupRuleParameterConflict: 'invalid-input',
  SecurityGroupEthertypeConflictWithProtocol: 'invalid-input',
  SecurityGroupMultipleRemoteEntites: 'invalid-input',
  SecurityGroupNotSingleGroupRules: 'invalid-input',
  SecurityGroupRulesNotSingleProject: 'invalid-input',
  InvalidInput: 'invalid-input',
  SecurityGroupRuleInvalidExpiry: 'invalid-input',
  PortSecurityAndIPRequiredForSecurityGroups: 'invalid-input',
  AddressPairAndPortSecurityRequired: 'conflict',
  PortSecurityPortHasSecurityGroup: 'conflict',
  DuplicateAddressPairInRequest: 'invalid-input',
  AllowedAddressPairExhausted: 'invalid-input',
  InvalidIpForSubnet: 'invalid-input',
  InvalidIpForNetwork: 'invalid-input',
  ChangeSequenceExpired: 'gone',
  HostFeedFormatUnsupported: 'invalid-input',
  UserNotFound: 'not-found',
  ProjectNotFound: 'not-found',
  RoleNotFound: 'not-found',
  TokenNotFound: 'not-found',
  IdentityConflict: 'conflict',
  RbacPolicyNotFound: 'not-found',
  DuplicateRbacPolicy: 'conflict',
  RbacPolicyInUse: 'in-use',
  InvalidActionForType: 'invalid-input',
  AnalysisTooLarge: 'over-limit',
  AnalysisTimeLimitExceeded: 'over-limit',
  AnalysisUnavailable: 'unavailable',
  WhatIfChangeNotSupported: 'invalid-input',
} as const satisfies Record<string, DomainErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;
