// What-if before a change is saved: the engine's difference in words, shown in a confirm step.
import type { ProposedChangeWire } from '../../contract/index.js';
import { whatIf } from '../analysis-client.js';
import { errorMessage } from '../api-client.js';
import { groupPortsIntoInstances } from '../instances.js';
import { listPorts } from '../neutron-client.js';
import { changesReachability, portNamer, whatIfSentences, whatIfUnavailable } from '../what-if-words.js';

export interface WhatIfPreview {
  readonly sentences: readonly string[];
  /** True when some port gains or loses access or exposure, or the difference could not be computed. */
  readonly needsConfirm: boolean;
  /** Why the difference could not be computed, or null. */
  readonly unavailable: string | null;
}

/**
 * Posts `changes` to what-if. A change the API would refuse rejects with the API's error, as saving would;
 * a what-if that cannot run (no engine, too large, worker trouble) is a preview that says so and asks to confirm.
 */
export async function previewChanges(changes: readonly ProposedChangeWire[]): Promise<WhatIfPreview> {
  try {
    const w = await whatIf(changes);
    // Port names only when some port is named: the project's ports are one more request.
    const name = w.access.length + w.exposure.length > 0 ? portNamer(groupPortsIntoInstances(await listPorts())) : (id: string) => id;
    return { sentences: whatIfSentences(w, name), needsConfirm: changesReachability(w), unavailable: null };
  } catch (e) {
    if (whatIfUnavailable(e)) return { sentences: [], needsConfirm: true, unavailable: errorMessage(e) };
    throw e;
  }
}

export function WhatIfSummary(props: { preview: WhatIfPreview }) {
  const { preview } = props;
  if (preview.unavailable !== null) return <p className="hint">The difference could not be computed: {preview.unavailable}</p>;
  return (
    <>
      {preview.needsConfirm ? null : <p>No port gains or loses access.</p>}
      {preview.sentences.length > 0 ? (
        <ul aria-label="What-if">
          {preview.sentences.map((s, i) => <li key={i}>{s}</li>)}
        </ul>
      ) : null}
    </>
  );
}
