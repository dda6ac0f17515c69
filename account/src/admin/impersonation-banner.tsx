/**
 * While an admin acts as another user, every page says so at the top, in a colour that cannot be
 * missed, with "Stop impersonating" (Better Auth's stop-impersonating returns the admin's own session).
 */
import { useEffect, useState } from "preact/hooks";
import { post } from "../api.ts";
import { Button, Notice, useAction } from "../components/ui.tsx";
import { getSession, type SessionInfo } from "../session.ts";

type Impersonated = SessionInfo & { session: { impersonatedBy?: string | null } };

export function ImpersonationBanner() {
  const [session, setSession] = useState<Impersonated | null>(null);
  const { busy, error, run } = useAction();
  useEffect(() => {
    getSession()
      .then((s) => setSession(s as Impersonated | null))
      .catch(() => setSession(null));
  }, []);
  if (!session?.session.impersonatedBy) return null;
  const stop = () =>
    run(async () => {
      await post("/admin/stop-impersonating");
      location.assign("/account/admin");
    });
  return (
    <aside class="impersonating" aria-label="Impersonation" data-testid="impersonation-banner">
      <p>
        <strong>You are impersonating {session.user.email}.</strong> Everything you do here is done as this
        user, and recorded.
      </p>
      {error && <Notice kind="error">{error}</Notice>}
      <Button kind="secondary" type="button" busy={busy} onClick={stop}>
        Stop impersonating
      </Button>
    </aside>
  );
}
