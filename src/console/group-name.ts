// A security group's name as the forms check it, and labels that tell same-named groups apart in pickers.
import type { SecurityGroupWire } from '../contract/index.js';

/** Why a name cannot be used, or null: Neutron accepts "   ", but a group named only spaces cannot be found again. */
export function groupNameProblem(name: string): string | null {
  if (name.trim() === '') return name === '' ? 'Give the group a name.' : 'The name cannot be only spaces.';
  return null;
}

/** The warning shown before a second group with the same name is created (Neutron allows it; people then cannot tell them apart). */
export function duplicateNameWarning(name: string, sameNamed: number): string | null {
  if (sameNamed === 0) return null;
  const groups = sameNamed === 1 ? 'A group' : `${sameNamed} groups`;
  return `${groups} named '${name.trim()}' already ${sameNamed === 1 ? 'exists' : 'exist'}; pickers could not tell them apart. Choose another name, or press Create again to create it anyway.`;
}

/** Each group's label: its name, with the start of its id when another group has the same name, or its id when it has none. */
export function groupLabels(groups: readonly Pick<SecurityGroupWire, 'id' | 'name'>[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const g of groups) count.set(g.name, (count.get(g.name) ?? 0) + 1);
  return new Map(groups.map((g) => [g.id, g.name === '' ? g.id : (count.get(g.name) ?? 0) > 1 ? `${g.name} (${g.id.slice(0, 8)})` : g.name]));
}
