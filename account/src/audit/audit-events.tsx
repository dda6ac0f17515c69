/**
 * A list of audit events, newest first, each in words with its device, IP and time; failed sign-ins
 * stand out ("was that me?"). "Show more" fetches the next page by the server's cursor.
 */
import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api.ts";
import { Button, Notice } from "../components/ui.tsx";
import { deviceInWords } from "../user-agent.ts";
import { type AuditEntry, auditPage } from "./audit-api.ts";
import { eventInWords, isFailure } from "./event-in-words.ts";

export function AuditEvents({ path, label }: { path: string; label: string }) {
  const [events, setEvents] = useState<AuditEntry[] | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const load = async (from: string | null, before: AuditEntry[]) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await auditPage(path, from);
      setEvents([...before, ...page.events]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load(null, []), [path]);
  return (
    <>
      {error && <Notice kind="error">{error}</Notice>}
      {!events && !error && <p class="muted">Loading…</p>}
      {events?.length === 0 && <p class="empty">Nothing recorded yet.</p>}
      <ul class="rows" aria-label={label}>
        {events?.map((e) => (
          <li key={e.id} data-testid="audit-event">
            <span>
              {eventInWords(e)} {isFailure(e) && <span class="badge warn">failed</span>}
              <br />
              <span class="muted">
                {deviceInWords(e.userAgent)}
                {e.ip ? ` · IP ${e.ip}` : ""} · {new Date(e.at).toLocaleString(undefined, TIME)}
              </span>
            </span>
          </li>
        ))}
      </ul>
      {cursor && (
        <Button kind="secondary" type="button" busy={busy} onClick={() => void load(cursor, events ?? [])}>
          Show more
        </Button>
      )}
    </>
  );
}

const TIME: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
