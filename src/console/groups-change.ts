// A change of a port's security groups in words: what it adds and removes, and the warning before leaving it with none.

/** Shown (and confirmed) before saving a port with no group: with port security on, it then drops every packet. */
export const NO_GROUPS_WARNING =
  'With no security group, this port has no rules: every packet into and out of the instance is dropped (port security stays on). Save it without groups?';

export function needsNoGroupsConfirm(selected: readonly string[], portSecurity: boolean): boolean {
  return portSecurity && selected.length === 0;
}

/** "Added WEB; removed CONN." for the saved notice, which offers to undo exactly that. */
export function groupsChangeSummary(before: readonly string[], after: readonly string[], label: (id: string) => string): string {
  const added = after.filter((g) => !before.includes(g)).map(label);
  const removed = before.filter((g) => !after.includes(g)).map(label);
  const parts = [added.length > 0 ? `added ${added.join(', ')}` : '', removed.length > 0 ? `removed ${removed.join(', ')}` : ''].filter((p) => p !== '');
  const text = parts.length === 0 ? 'no change' : parts.join('; ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}
