// Security-group ids interned as small integers, so membership entries and rule indexes hold numbers, not strings.

export class GroupIndex {
  readonly #byId = new Map<string, number>();
  readonly #ids: string[] = [];

  intern(groupId: string): number {
    let n = this.#byId.get(groupId);
    if (n === undefined) {
      n = this.#ids.length;
      this.#ids.push(groupId);
      this.#byId.set(groupId, n);
    }
    return n;
  }

  /** The number of an id already seen, or -1. */
  find(groupId: string): number {
    return this.#byId.get(groupId) ?? -1;
  }

  idOf(n: number): string {
    const id = this.#ids[n];
    if (id === undefined) throw new RangeError(`no group #${n}`);
    return id;
  }
}
