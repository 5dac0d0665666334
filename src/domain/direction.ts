// Direction of a rule relative to the instance: ingress (into it) or egress (out of it).
import { InvalidInputError } from './errors.js';
import { shown } from './text-attribute.js';

export type Direction = 'ingress' | 'egress';
export const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

export function parseDirection(value: unknown): Direction {
  if (value === 'ingress' || value === 'egress') return value;
  throw InvalidInputError.of(
    'HTTPBadRequest',
    `Invalid input for direction. Reason: ${shown(value)} is not in ['ingress', 'egress'].`,
    'direction',
  );
}
