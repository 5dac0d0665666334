// Error, loading and empty states, shown where they happen.
import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api-client.js';
import { quotaMessage } from '../quota-words.js';

/** The API's own words (NeutronError.message), with its type in small print. */
export function ErrorBanner(props: { error: unknown; title?: string }) {
  if (props.error === undefined || props.error === null) return null;
  const type = props.error instanceof ApiError ? props.error.type : undefined;
  return (
    <div className="banner banner-error" role="alert">
      {props.title ? <strong>{props.title} </strong> : null}
      <span className="error-message">{quotaMessage(errorMessage(props.error)) ?? errorMessage(props.error)}</span>
      {type ? <span className="error-type"> ({type})</span> : null}
    </div>
  );
}

export function Notice(props: { children: ReactNode }) {
  return <div className="banner banner-ok" role="status">{props.children}</div>;
}

export function Loading(props: { what: string }) {
  return <p className="muted" role="status" aria-live="polite">Loading {props.what}…</p>;
}

export function Empty(props: { children: ReactNode }) {
  return <div className="empty">{props.children}</div>;
}
