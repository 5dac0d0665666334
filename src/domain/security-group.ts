// Security groups: the model and the name rules (R1–R3); their starting rules come from default-rule-template.ts.
import { ConflictError } from './errors.js';
import { parseString } from './text-attribute.js';

export interface SecurityGroup {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly description: string;
  readonly stateful: boolean;
  /** The project's `default` group; only this flag makes a group the default. */
  readonly isDefault: boolean;
  readonly tags: readonly string[];
  readonly revisionNumber: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const DEFAULT_GROUP_NAME = 'default';
export const DEFAULT_GROUP_DESCRIPTION = 'Default security group';

/** A name for a custom group: a string ≤255 that is not `default` in any case (R1, R3). */
export function parseGroupName(value: unknown): string {
  const name = parseString(value, 'name');
  if (name.toLowerCase() === DEFAULT_GROUP_NAME) {
    throw new ConflictError('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
  }
  return name;
}

export const MAX_TAGS = 50;
