// Neutron's body-shape rules (B1–B9): resource key, bulk lists, unknown, read-only and required attributes.
import { InvalidInputError } from '../domain/index.js';

export interface AttributeRules {
  /** Attributes a POST may carry. */
  readonly post: readonly string[];
  /** Attributes a PUT may carry. */
  readonly put: readonly string[];
  /** Attributes the resource has but no client may set (B7, B8). */
  readonly readOnly: readonly string[];
}

export interface ResourceShape {
  readonly singular: string;
  readonly plural: string;
  readonly attributes: AttributeRules;
}

function bad(message: string): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkAttributes(shape: ResourceShape, item: Record<string, unknown>, mode: 'post' | 'put'): void {
  const allowed = shape.attributes[mode];
  const keys = Object.keys(item);
  const unknown = keys.filter((k) => !allowed.includes(k) && !shape.attributes.readOnly.includes(k) && !shape.attributes.post.includes(k));
  if (unknown.length > 0) throw bad(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  for (const k of keys) {
    if (allowed.includes(k)) continue;
    throw bad(mode === 'post' ? `Attribute '${k}' not allowed in POST` : `Cannot update read-only attribute ${k}`);
  }
}

/** The items of a create body: `{singular: {...}}` or `{plural: [...]}` (each item bare or wrapped). */
export function readCreateBody(shape: ResourceShape, body: unknown): { items: Record<string, unknown>[]; bulk: boolean } {
  if (body === undefined || body === null || (isObject(body) && Object.keys(body).length === 0)) throw bad('Resource body required');
  if (!isObject(body)) throw bad('Body contains invalid data');
  // Neutron would quietly take the list and drop the single item; one of them is surely a mistake.
  if (shape.plural in body && shape.singular in body) {
    throw bad(`Body holds both '${shape.singular}' and '${shape.plural}'; send one of them`);
  }
  if (shape.plural in body) {
    const list = body[shape.plural];
    if (!Array.isArray(list)) throw bad(`Object '${shape.plural}' contains invalid data`);
    if (list.length === 0) throw bad('Resources required');
    const items = list.map((entry) => {
      const item = isObject(entry) && isObject(entry[shape.singular]) && Object.keys(entry).length === 1 ? entry[shape.singular] : entry;
      if (!isObject(item)) throw bad(`Object '${shape.singular}' contains invalid data`);
      checkAttributes(shape, item, 'post');
      return item;
    });
    return { items: items as Record<string, unknown>[], bulk: true };
  }
  const item = body[shape.singular];
  if (item === undefined) throw bad(`Unable to find '${shape.singular}' in request body`);
  if (!isObject(item)) throw bad(`Object '${shape.singular}' contains invalid data`);
  checkAttributes(shape, item, 'post');
  return { items: [item], bulk: false };
}

/** The attributes of an update body `{singular: {...}}`. */
export function readUpdateBody(shape: ResourceShape, body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || (isObject(body) && Object.keys(body).length === 0)) throw bad('Resource body required');
  if (!isObject(body)) throw bad('Body contains invalid data');
  const item = body[shape.singular];
  if (item === undefined) throw bad(`Unable to find '${shape.singular}' in request body`);
  if (!isObject(item)) throw bad(`Object '${shape.singular}' contains invalid data`);
  checkAttributes(shape, item, 'put');
  return item;
}

/** DELETE carries no body in Neutron. */
export function refuseBody(body: unknown): void {
  if (body !== undefined && body !== null && !(typeof body === 'string' && body.length === 0)) {
    throw bad('Request body is not supported in DELETE.');
  }
}

/** `If-Match: revision_number=N` (extension revision-if-match); malformed → 400. */
export function readIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  const match = /^\s*revision_number=([0-9]+)\s*$/.exec(value);
  if (!match) throw bad(`Unrecognized If-Match header: '${value}'. Expected 'revision_number=N'.`);
  return Number(match[1]);
}
