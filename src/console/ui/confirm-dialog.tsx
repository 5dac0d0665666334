// A modal confirmation (native <dialog>): runs the action, keeps the dialog open with the API's error if it fails.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ErrorBanner } from './feedback.js';

export interface ConfirmRequest {
  readonly title: string;
  readonly body: ReactNode;
  readonly confirmLabel: string;
  readonly action: () => Promise<void>;
}

export function ConfirmDialog(props: { request: ConfirmRequest | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.request && !dialog.open) {
      setError(undefined);
      dialog.showModal();
    } else if (!props.request && dialog.open) {
      dialog.close();
    }
  }, [props.request]);
  const confirm = async () => {
    if (!props.request) return;
    setBusy(true);
    try {
      await props.request.action();
      props.onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="confirm-title" onClose={props.onClose}>
      <h2 id="confirm-title">{props.request?.title}</h2>
      <div>{props.request?.body}</div>
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="button" onClick={props.onClose}>Cancel</button>
        <button type="button" className="danger" onClick={() => void confirm()} disabled={busy}>
          {busy ? 'Working…' : props.request?.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
