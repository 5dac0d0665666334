// The membership key of an address group: remote groups and address groups share one membership index.

/** A namespace of its own, so no security-group id can collide with an address group's key. */
export function addressGroupKey(addressGroupId: string): string {
  return `address-group:${addressGroupId}`;
}
