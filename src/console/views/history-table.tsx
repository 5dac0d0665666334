// A table of history or audit records, newest first, with "Older" paging: when, who, what.
import { useEffect, useState } from 'react';
import type { HistoryEntryWire } from '../../contract/index.js';
import type { HistoryPage } from '../history-client.js';
import { actorLabel, entrySummary } from '../history-words.js';
import { Empty, ErrorBanner, Loading } from '../ui/feedback.js';

export function HistoryTable(props: {
  label: string;
  load: (marker: string | null) => Promise<HistoryPage>;
  groupName: (id: string) => string | undefined;
  showProject?: boolean;
}) {
  const [entries, setEntries] = useState<HistoryEntryWire[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const fetchPage = async (marker: string | null) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await props.load(marker);
      setEntries((old) => (marker === null ? page.entries : [...old, ...page.entries]));
      setNext(page.next);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void fetchPage(null);
  }, [props.load]);
  return (
    <div>
      <ErrorBanner error={error} title="Could not load the history:" />
      {!loading && !error && entries.length === 0 ? <Empty>No changes recorded.</Empty> : null}
      {entries.length > 0 ? (
        <div className="table-wrap">
          <table aria-label={props.label}>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th><th scope="col">Who</th>{props.showProject ? <th scope="col">Project</th> : null}<th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq}>
                  <td><time dateTime={e.at}>{e.at.replace('T', ' ').replace('Z', '')}</time></td>
                  <td title={e.actor?.request_id ?? ''}>{actorLabel(e.actor)}</td>
                  {props.showProject ? <td>{e.project_id || '—'}</td> : null}
                  <td>{entrySummary(e, props.groupName)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {loading ? <Loading what="the history" /> : null}
      {next && !loading ? <button type="button" onClick={() => void fetchPage(next)}>Older changes</button> : null}
    </div>
  );
}
