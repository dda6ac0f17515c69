/**
 * /account's sessions section: where the account is signed in (device in words, IP, signed in,
 * last active), this device marked; revoke one, or every other one at once. The buttons say
 * "Revoke" (as API keys do), so the page's own "Sign out" stays the one button of that name.
 */
import { useEffect, useState } from "preact/hooks";
import { get, messageOf, post } from "../api.ts";
import { Button, Notice, useAction } from "../components/ui.tsx";
import { deviceInWords } from "../user-agent.ts";

interface ActiveSession {
  id: string;
  token: string;
  createdAt: string;
  updatedAt: string;
  ipAddress?: string | null;
  userAgent?: string | null;
}

export function Sessions({ currentId }: { currentId: string }) {
  const [sessions, setSessions] = useState<ActiveSession[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const { busy, error, run } = useAction();
  const load = () =>
    get<ActiveSession[]>("/list-sessions")
      .then((list) => {
        // This device first, then the most recently active.
        const order = (s: ActiveSession) =>
          s.id === currentId ? Number.POSITIVE_INFINITY : Date.parse(s.updatedAt);
        setSessions([...list].sort((a, b) => order(b) - order(a)));
      })
      .catch((err) => setLoadError(messageOf(err)));
  useEffect(() => void load(), []);
  // The row (and its button) goes away: the heading takes the focus, and the status says what happened.
  const after = async (message: string) => {
    await load();
    setDone(message);
    document.getElementById("sessions-title")?.focus();
  };
  const revoke = (s: ActiveSession) =>
    run(async () => {
      setDone(undefined);
      await post("/revoke-session", { token: s.token });
      await after(`Signed out ${deviceInWords(s.userAgent)}${s.ipAddress ? ` (${s.ipAddress})` : ""}.`);
    });
  const revokeOthers = () =>
    run(async () => {
      setDone(undefined);
      await post("/revoke-other-sessions");
      await after("Signed out everywhere else. Only this device is still signed in.");
    });
  const others = sessions?.filter((s) => s.id !== currentId) ?? [];
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title" tabIndex={-1}>
        Where you are signed in
      </h2>
      <p class="muted">Revoking a session signs that device out.</p>
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {!sessions && !loadError && <p class="muted">Loading…</p>}
      {done && <Notice kind="success">{done}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <ul class="rows" aria-label="Your sessions">
        {sessions?.map((s) => {
          const device = deviceInWords(s.userAgent);
          const current = s.id === currentId;
          return (
            <li key={s.id} data-testid="session">
              <span>
                {device} {current && <span class="badge">this device</span>}
                <br />
                <span class="muted">
                  {s.ipAddress ? `IP ${s.ipAddress} · ` : ""}signed in {when(s.createdAt)} · last active{" "}
                  {when(s.updatedAt)}
                </span>
              </span>
              {!current && (
                <Button
                  kind="danger"
                  type="button"
                  busy={busy}
                  onClick={() => revoke(s)}
                  label={`Revoke ${device}${s.ipAddress ? `, IP ${s.ipAddress}` : ""}`}
                >
                  Revoke
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      {others.length > 0 && (
        <Button kind="secondary" type="button" busy={busy} onClick={revokeOthers}>
          Revoke all other sessions
        </Button>
      )}
    </section>
  );
}

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? "—"
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
