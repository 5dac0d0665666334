// The project matrix: which instances reach which, per service (instances with the same policy share a row).
import { useState, type FormEvent } from 'react';
import type { MatrixWire } from '../../contract/index.js';
import { projectMatrix } from '../analysis-client.js';
import { parseServiceList } from '../service-input.js';
import { Empty, ErrorBanner } from '../ui/feedback.js';

function classLabel(c: MatrixWire['classes'][number], names: ReadonlyMap<string, string>): string {
  const all = c.instances.map((d) => names.get(d) ?? d);
  return all.length <= 3 ? all.join(', ') : `${all.slice(0, 3).join(', ')} +${all.length - 3}`;
}

export function MatrixPanel(props: { deviceNames: ReadonlyMap<string, string> }) {
  const className = (c: MatrixWire['classes'][number]) => classLabel(c, props.deviceNames);
  const [services, setServices] = useState('tcp:22, tcp:80, icmp:8');
  const [matrix, setMatrix] = useState<MatrixWire | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      setMatrix(await projectMatrix(parseServiceList(services)));
    } catch (err) {
      setError(err);
    }
  };
  const cell = (from: number, to: number) => matrix?.edges.find((x) => x.from === from && x.to === to)?.services ?? [];
  return (
    <form className="card" onSubmit={(e) => void run(e)} aria-labelledby="matrix-title">
      <h2 id="matrix-title">Project matrix</h2>
      <p className="hint">Services as protocol:port or icmp:type[:code], separated by commas. Rows send, columns receive; both sides' rules must allow it.</p>
      <div className="row">
        <label>Services<input value={services} onChange={(e) => setServices(e.target.value)} /></label>
        <button type="submit" className="primary">Show matrix</button>
      </div>
      <ErrorBanner error={error} title="Could not build the matrix:" />
      {matrix && matrix.classes.length === 0 ? <Empty>This project has no instances.</Empty> : null}
      {matrix && matrix.classes.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Reachability matrix" className="matrix">
            <thead>
              <tr><th scope="col">From ↓ / To →</th>{matrix.classes.map((c) => <th key={c.id} scope="col">{className(c)}</th>)}</tr>
            </thead>
            <tbody>
              {matrix.classes.map((row) => (
                <tr key={row.id}>
                  <th scope="row">{className(row)}</th>
                  {matrix.classes.map((col) => {
                    const allowed = cell(row.id, col.id);
                    return <td key={col.id} className={allowed.length ? 'reach-yes' : 'reach-no'}>{allowed.length ? allowed.join(', ') : '—'}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </form>
  );
}
