/**
 * /account/admin: the config's admins find users and act on them. Anyone else (or a stack without
 * the admin plugin) gets a plain "not for you" page; the Worker refuses them the data anyway (403).
 */
import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api.ts";
import { Layout, Notice } from "../components/ui.tsx";
import { getSession } from "../session.ts";
import { hasPlugin, type StackInfo } from "../stack.ts";
import { isAdmin } from "./admin-check.ts";
import { UserDetail } from "./user-detail.tsx";
import { UserList } from "./user-list.tsx";

export function AdminPage({ stack }: { stack: StackInfo }) {
  const [allowed, setAllowed] = useState<boolean | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [userId, setUserId] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  useEffect(() => {
    if (!hasPlugin(stack, "admin")) return setAllowed(false);
    getSession()
      .then(async (s) => {
        if (!s) location.replace(`/login?${new URLSearchParams({ redirect: "/account/admin" })}`);
        else setAllowed(await isAdmin());
      })
      .catch((err) => setLoadError(messageOf(err)));
  }, []);
  if (allowed === false) {
    return (
      <Layout appName={stack.appName} title="Not for you">
        <Notice kind="error">This page is for this app's admins, and your account is not one of them.</Notice>
        <p>
          <a href="/account">Go to your account</a>
        </p>
      </Layout>
    );
  }
  return (
    <Layout appName={stack.appName} title="Manage users" wide>
      <p>
        <a href="/account">Back to your account</a>
      </p>
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {allowed === undefined && !loadError && <p class="muted">Loading…</p>}
      {notice && <Notice kind="success">{notice}</Notice>}
      {allowed &&
        (userId ? (
          <UserDetail
            userId={userId}
            roles={stack.adminRoles}
            back={(message) => {
              setNotice(message);
              setUserId(undefined);
            }}
          />
        ) : (
          <UserList
            open={(id) => {
              setNotice(undefined);
              setUserId(id);
            }}
          />
        ))}
    </Layout>
  );
}
