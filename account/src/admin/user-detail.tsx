/**
 * One user, for an admin: who they are, their ban, role and sessions, impersonation, deletion, and
 * what happened to their account (GET /api/v1/admin/audit?userId=).
 */
import { useEffect, useState } from "preact/hooks";
import { get, messageOf, post } from "../api.ts";
import { AuditEvents } from "../audit/audit-events.tsx";
import { Button, Notice, useAction } from "../components/ui.tsx";
import type { AdminUser } from "./admin-user.ts";
import { BanUser } from "./ban-user.tsx";
import { DeleteUser } from "./delete-user.tsx";

export function UserDetail({
  userId,
  roles,
  back,
}: {
  userId: string;
  roles: string[];
  back: (message?: string) => void;
}) {
  const [user, setUser] = useState<AdminUser | undefined>();
  const [sessions, setSessions] = useState<number | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  // A change re-reads the user and shows its activity afresh (the action is in it now).
  const [version, setVersion] = useState(0);
  const { busy, error, run } = useAction();
  const load = async () => {
    try {
      setUser(await get<AdminUser>(`/admin/get-user?id=${encodeURIComponent(userId)}`));
      const list = await post<{ sessions: unknown[] }>("/admin/list-user-sessions", { userId });
      setSessions(list.sessions.length);
    } catch (err) {
      setLoadError(messageOf(err));
    }
  };
  useEffect(() => {
    void load();
    document.getElementById("user-title")?.focus();
  }, [userId]);
  const act = (message: string, action: () => Promise<unknown>) =>
    run(async () => {
      setDone(undefined);
      await action();
      await load();
      setVersion((v) => v + 1);
      setDone(message);
    });
  const isAdminUser = user?.role === "admin";
  const [role, setRole] = useState("");
  return (
    <section aria-labelledby="user-title">
      <p>
        <button type="button" class="link" onClick={() => back()}>
          ← All users
        </button>
      </p>
      <h2 id="user-title" tabIndex={-1}>
        {user?.email ?? "User"}
      </h2>
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {done && <Notice kind="success">{done}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {user && (
        <>
          <dl class="facts">
            <dt>Name</dt>
            <dd>{user.name || "—"}</dd>
            <dt>Email</dt>
            <dd>
              {user.email}{" "}
              {user.emailVerified ? (
                <span class="badge">verified</span>
              ) : (
                <span class="badge warn">not verified</span>
              )}
            </dd>
            <dt>Role</dt>
            <dd data-testid="user-role">{user.role ?? "user"}</dd>
            <dt>Signed up</dt>
            <dd>{new Date(user.createdAt).toLocaleString()}</dd>
            <dt>Sessions</dt>
            <dd data-testid="user-sessions">
              {sessions === undefined ? "…" : sessions === 1 ? "1 active" : `${sessions} active`}
            </dd>
            <dt>Status</dt>
            <dd data-testid="user-status">
              {user.banned
                ? `Banned${user.banReason ? `: ${user.banReason}` : ""}${user.banExpires ? ` (until ${new Date(user.banExpires).toLocaleString()})` : " (no end date)"}`
                : "Active"}
            </dd>
          </dl>
          {isAdminUser ? (
            <p class="muted">
              This user is an admin: the config names admins, and they cannot be banned, impersonated or given
              another role here.
            </p>
          ) : (
            <>
              {user.banned ? (
                <Button
                  type="button"
                  kind="secondary"
                  busy={busy}
                  onClick={() => act(`Unbanned ${user.email}.`, () => post("/admin/unban-user", { userId }))}
                >
                  Unban
                </Button>
              ) : (
                <BanUser
                  busy={busy}
                  ban={(banReason, banExpiresIn) =>
                    act(`Banned ${user.email}. Their sessions have ended.`, () =>
                      post("/admin/ban-user", {
                        userId,
                        banReason,
                        ...(banExpiresIn ? { banExpiresIn } : {}),
                      }),
                    )
                  }
                />
              )}
              <div class="field">
                <label for="user-role-choice">Role</label>
                <select
                  id="user-role-choice"
                  value={role || user.role || "user"}
                  onChange={(e) => setRole(e.currentTarget.value)}
                >
                  {["user", ...roles].map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </div>
              <div class="actions">
                <Button
                  type="button"
                  kind="secondary"
                  busy={busy}
                  onClick={() =>
                    act(`Role set to ${role || "user"}.`, () =>
                      post("/admin/set-role", { userId, role: role || "user" }),
                    )
                  }
                >
                  Set role
                </Button>
                <Button
                  type="button"
                  kind="secondary"
                  busy={busy}
                  onClick={() =>
                    act(`Signed ${user.email} out everywhere.`, () =>
                      post("/admin/revoke-user-sessions", { userId }),
                    )
                  }
                >
                  Revoke all sessions
                </Button>
                <Button
                  type="button"
                  kind="secondary"
                  busy={busy}
                  onClick={() =>
                    run(async () => {
                      await post("/admin/impersonate-user", { userId });
                      location.assign("/account");
                    })
                  }
                >
                  Impersonate
                </Button>
              </div>
              <DeleteUser
                email={user.email}
                busy={busy}
                remove={() =>
                  run(async () => {
                    await post("/admin/remove-user", { userId });
                    back(`Deleted ${user.email}.`);
                  })
                }
              />
            </>
          )}
          <h3>Activity</h3>
          <AuditEvents
            key={version}
            path={`/admin/audit?userId=${encodeURIComponent(userId)}`}
            label={`Activity of ${user.email}`}
          />
        </>
      )}
    </section>
  );
}
