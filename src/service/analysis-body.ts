// The JSON body of an analysis answer, built as bytes in the analysis worker: the server thread only writes them out.
import type { PolicyEngine, ReachMatrix, WorkBudget } from '../engine/index.js';
import type { AnalysisLimits } from './analysis-limits.js';
import type { AnalysisQuestion } from './analysis-questions.js';
import { visibleExplanation, visibleReachability } from './evidence-visibility.js';
import { edgeJson, effectivePolicyToWire, explanationToWire, findingToWire, instanceClassToWire, matrixHeadToWire, reachabilityToWire, whatIfToWire } from './analysis-wire-format.js';

const CHUNK_CHARS = 1 << 20;
/** Items written between two checks of the time budget. */
const TICK_EVERY = 4096;

/** JSON text gathered in pieces and encoded about a megabyte at a time: no single giant string is built. */
class ByteWriter {
  readonly #encoder = new TextEncoder();
  readonly #chunks: Uint8Array[] = [];
  #text = '';

  write(text: string): void {
    this.#text += text;
    if (this.#text.length >= CHUNK_CHARS) this.#flush();
  }

  /** One buffer of its own (offset 0, exact length), so it can be transferred to another thread. */
  bytes(): Uint8Array<ArrayBuffer> {
    this.#flush();
    const out = new Uint8Array(this.#chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  #flush(): void {
    if (this.#text.length > 0) this.#chunks.push(this.#encoder.encode(this.#text));
    this.#text = '';
  }
}

function writeList<T>(w: ByteWriter, items: readonly T[], text: (item: T) => string, budget: WorkBudget): void {
  w.write('[');
  for (let i = 0; i < items.length; i++) {
    if (i % TICK_EVERY === 0) budget.tick();
    w.write(i === 0 ? text(items[i]!) : `,${text(items[i]!)}`);
  }
  w.write(']');
}

function writeMatrix(w: ByteWriter, m: ReachMatrix, budget: WorkBudget): void {
  const head = matrixHeadToWire(m);
  w.write(`{"matrix":{"project_id":${JSON.stringify(head.project_id)},"services":${JSON.stringify(head.services)},"classes":`);
  writeList(w, m.classes, (c) => JSON.stringify(instanceClassToWire(c)), budget);
  w.write(',"edges":');
  writeList(w, m.edges, edgeJson, budget);
  w.write(`,"port_class_count":${head.port_class_count}}}`);
}

/** Asks the engine and writes the response body; writing a matrix counts against the same time budget as computing it. */
export function answerBody(engine: PolicyEngine, q: AnalysisQuestion, limits: AnalysisLimits, budget: WorkBudget): Uint8Array<ArrayBuffer> {
  const w = new ByteWriter();
  switch (q.kind) {
    case 'effective-rules': w.write(JSON.stringify({ effective_rules: effectivePolicyToWire(engine.effectiveRules(q.portId)) })); break;
    case 'explain': w.write(JSON.stringify({ explanation: explanationToWire(visibleExplanation(q.asker, engine.explain(q.portId, q.flow))) })); break;
    case 'reachability': w.write(JSON.stringify({ reachability: reachabilityToWire(visibleReachability(q.asker, engine.reachability(q.from, q.to, q.service))) })); break;
    case 'matrix': writeMatrix(w, engine.matrix(q.projectId, q.services, { budget, maxPorts: limits.maxPorts, maxEdges: limits.maxEdges }), budget); break;
    case 'lint':
      w.write(`{"lint":{"project_id":${JSON.stringify(q.scope.projectId)},"findings":`);
      writeList(w, engine.lint(q.scope, { budget }), (f) => JSON.stringify(findingToWire(f)), budget);
      w.write('}}');
      break;
    case 'what-if': w.write(JSON.stringify({ what_if: whatIfToWire(q.projectId, engine.whatIf(q.projectId, q.changes, { budget })) })); break;
  }
  return w.bytes();
}
