// A rule's remote prefix as the API refuses it; addresses and prefixes themselves live in the contract.
import { tryParseCidr, type Cidr } from '../contract/index.js';
import { InvalidInputError } from './errors.js';

export {
  addressAt, addressBits, cidrContains, cidrSize, formatCidr, formatIpAddress, formatNormalizedCidr, networkOf, tryParseCidr, tryParseIpAddress,
  type Cidr, type IpAddress, type IpVersion,
} from '../contract/index.js';

/** Parse a rule's `remote_ip_prefix` (S6): 400 InvalidCIDR with Neutron's message. */
export function parseCidr(value: unknown, path = 'remote_ip_prefix'): Cidr {
  const parsed = typeof value === 'string' ? tryParseCidr(value) : null;
  if (!parsed) {
    throw InvalidInputError.of('InvalidCIDR', `Invalid CIDR ${String(value)} given as IP prefix.`, path);
  }
  return parsed;
}
