// The agent's persisted state: a snapshot of the model at a sequence, plus a journal of the host-feed pages applied since.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostChangeWire } from '../contract/index.js';
import { AgentModel } from './agent-model.js';
import type { Snapshot } from './server-client.js';

const COMPACT_AFTER = 2000;

/** One host-feed page as applied: its records, and the positions before and after it (records of a host feed skip seqs). */
export interface JournalPage {
  readonly since: number;
  readonly seq: number;
  readonly changes: readonly HostChangeWire[];
}

export interface LoadedState {
  readonly model: AgentModel;
  readonly seq: number;
}

export class AgentStateStore {
  #journaled = 0;

  constructor(readonly dir: string) {}

  get #snapshotPath(): string {
    return join(this.dir, 'snapshot.json');
  }

  get #journalPath(): string {
    return join(this.dir, 'journal.jsonl');
  }

  /** The model and sequence persisted last, or null when there is none (first start). */
  async load(): Promise<LoadedState | null> {
    let snap: Snapshot;
    try {
      snap = JSON.parse(await readFile(this.#snapshotPath, 'utf8')) as Snapshot;
    } catch {
      return null;
    }
    const model = AgentModel.of(snap.ports, snap.groups, snap.rules, snap.members ?? [], snap.addressGroups ?? []);
    let seq = snap.seq;
    const journal = await readFile(this.#journalPath, 'utf8').catch(() => '');
    for (const line of journal.split('\n')) {
      if (line.trim() === '') continue;
      // A torn last line (crash mid-append) ends the journal: the feed resends what follows.
      let page: JournalPage;
      try {
        page = JSON.parse(line) as JournalPage;
      } catch {
        break;
      }
      if (page.seq <= seq) continue;
      // A hole (pages lost) ends it too: the model stays at the last page before it, and following the
      // feed from there fetches the missing records and those after them again.
      if (page.since > seq) break;
      for (const change of page.changes) if (change.seq > seq) model.apply(change);
      seq = page.seq;
      this.#journaled += page.changes.length;
    }
    return { model, seq };
  }

  /** Replaces snapshot and journal (atomic rename): after a resync, and when the journal grows long. */
  async saveSnapshot(model: AgentModel, seq: number): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const snap: Snapshot = {
      seq, ports: [...model.wire.ports.values()], groups: [...model.wire.groups.values()], rules: [...model.wire.rules.values()],
      members: [...model.wire.members.values()], addressGroups: [...model.wire.addressGroups.values()],
    };
    await writeFile(`${this.#snapshotPath}.tmp`, JSON.stringify(snap));
    await writeFile(this.#journalPath, '');
    await rename(`${this.#snapshotPath}.tmp`, this.#snapshotPath);
    this.#journaled = 0;
  }

  /** Adds a page to the journal (a snapshot must exist: the agent saves one on its first start). */
  async append(page: JournalPage): Promise<void> {
    await appendFile(this.#journalPath, JSON.stringify(page) + '\n');
    this.#journaled += Math.max(1, page.changes.length);
  }

  /** The journal has grown long enough that a snapshot (which empties it) would shorten the next start. */
  get wantsSnapshot(): boolean {
    return this.#journaled > COMPACT_AFTER;
  }
}
