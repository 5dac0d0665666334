// Query-string value converters for list filters: a filter value means what the attribute's input means.
import { formatCidr, InvalidInputError, parseBoolean, parseCidr, parseEtherType, parseProtocol } from '../domain/index.js';
import type { FilterConverter } from './list-query.js';

export const asString: FilterConverter = (raw) => raw;
export const asBoolean: FilterConverter = (raw) => parseBoolean(raw, 'filter');
export const asInteger: FilterConverter = (raw) => {
  if (!/^-?[0-9]+$/.test(raw)) throw InvalidInputError.of('HTTPBadRequest', `Invalid input for filter. Reason: '${raw}' is not an integer.`);
  return Number(raw);
};
/** `protocol=TCP` matches `tcp`; `any` matches rules with no protocol. */
export const asProtocol: FilterConverter = (raw) => parseProtocol(raw, 'IPv4');
export const asEtherType: FilterConverter = (raw) => parseEtherType(raw);
/** `remote_ip_prefix=10.0.0.1` matches `10.0.0.1/32`. */
export const asCidr: FilterConverter = (raw) => formatCidr(parseCidr(raw));
/** An optional id: the empty value matches null. */
export const asOptionalId: FilterConverter = (raw) => (raw === '' ? null : raw);
