/** /consent: who is asking (from /oauth2/public-client), what for in plain words, and the user's answer. */
import { useEffect, useState } from "preact/hooks";
import { get, messageOf, post, redirectOf } from "../api.ts";
import { Button, Layout, Notice, useAction } from "../components/ui.tsx";
import { getSession, type SessionInfo } from "../session.ts";
import type { StackInfo } from "../stack.ts";

interface PublicClient {
  client_id: string;
  client_name?: string;
  logo_uri?: string;
  client_uri?: string;
  policy_uri?: string;
  tos_uri?: string;
}

/**
 * The host a client ID metadata document was fetched from (its client_id is that URL): the one
 * thing about such a client the server has checked, as its name is whatever the document says.
 */
function documentHost(clientId: string): string | undefined {
  if (!/^https?:\/\//.test(clientId)) return undefined;
  try {
    return new URL(clientId).host;
  } catch {
    return undefined;
  }
}

/** What each standard scope lets the app do, said for a person. */
const SCOPE_WORDS: Record<string, string> = {
  openid: "Confirm that it is you",
  profile: "See your name and profile picture",
  email: "See your email address",
  offline_access: "Stay connected when you are not using it",
};

export function ConsentPage({ stack }: { stack: StackInfo }) {
  const params = new URLSearchParams(location.search);
  const clientId = params.get("client_id");
  const oauthQuery = params.get("oauth_query");
  const scopes = (params.get("scope") ?? "").split(" ").filter(Boolean);
  const [client, setClient] = useState<PublicClient | undefined>();
  const [session, setSession] = useState<SessionInfo | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (!clientId || !oauthQuery) return;
    (async () => {
      const current = await getSession();
      if (!current) {
        location.replace(`/login?${new URLSearchParams({ redirect: location.href })}`);
        return;
      }
      setSession(current);
      setClient(
        await get<PublicClient>(`/oauth2/public-client?${new URLSearchParams({ client_id: clientId })}`),
      );
    })().catch((err) => setLoadError(messageOf(err)));
  }, []);

  const answer = (accept: boolean) =>
    run(async () => {
      const next = redirectOf(await post("/oauth2/consent", { accept, oauth_query: oauthQuery }));
      if (!next) throw new Error("The server did not say where to go next. Start again from the app.");
      location.assign(next);
    });

  if (!clientId || !oauthQuery) {
    return (
      <Layout appName={stack.appName} title="Nothing to approve">
        <Notice kind="error">
          This page is opened by an app asking for access to your account. Start again from that app.
        </Notice>
      </Layout>
    );
  }
  const name = client?.client_name || "An app";
  const host = client ? documentHost(client.client_id) : undefined;
  return (
    <Layout appName={stack.appName} title={client ? `${name} wants to access your account` : "Loading…"}>
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {client && session && (
        <>
          <div class="client">
            {client.logo_uri && <img class="logo" src={client.logo_uri} alt="" width={48} height={48} />}
            <div>
              <p class="client-name">{name}</p>
              {host && (
                <p class="client-host">
                  from <strong>{host}</strong>
                </p>
              )}
              {client.client_uri && <p class="muted">{client.client_uri}</p>}
            </div>
          </div>
          <p>
            Signed in as <strong>{session.user.email}</strong>. If you allow it, {name} will be able to:
          </p>
          <ul class="scopes">
            {scopes.map((s) => (
              <li key={s}>{SCOPE_WORDS[s] ?? `Use “${s}”`}</li>
            ))}
          </ul>
          {error && <Notice kind="error">{error}</Notice>}
          <div class="actions">
            <Button busy={busy} type="button" onClick={() => answer(true)}>
              Allow
            </Button>
            <Button busy={busy} kind="secondary" type="button" onClick={() => answer(false)}>
              Deny
            </Button>
          </div>
        </>
      )}
    </Layout>
  );
}
