/**
 * /account's linked accounts: each way this account signs in with (a provider, or "Password"), when
 * it was linked; Link for each provider the stack offers that is not linked yet (Better Auth's
 * link-social: the provider's round trip ends back here with `?linked=` or `?error=`), and Unlink.
 * The Worker refuses an unlink that would leave no way to sign in (worker/auth/unlink-guard.ts);
 * this page shows its answer in words.
 */
import { useEffect, useState } from "preact/hooks";
import { get, messageOf, post, redirectOf } from "../api.ts";
import { Button, Notice, useAction } from "../components/ui.tsx";
import type { SessionInfo } from "../session.ts";
import type { StackInfo } from "../stack.ts";

interface LinkedAccount {
  id: string;
  providerId: string;
  createdAt: string;
}

/** Better Auth's link callback errors, with the provider's name put in. */
const LINK_ERRORS: Record<string, (provider: string) => string> = {
  unable_to_link_account: (p) =>
    `${p} did not confirm that this email address is yours, so it was not linked.`,
  email_does_not_match: (p) => `That ${p} account has another email address, so it was not linked.`,
  account_already_linked_to_different_user: (p) =>
    `That ${p} account is linked to another account here, so it was not linked.`,
  access_denied: (p) => `Linking was cancelled at ${p}.`,
};

/** What the provider's round trip left in the address bar: a success, an error, or nothing. */
function returnNotice(
  labelOf: (id: string) => string,
): { kind: "success" | "error"; text: string } | undefined {
  const params = new URLSearchParams(location.search);
  const linked = params.get("linked");
  const link = params.get("link");
  // Only a link's own errors (its errorCallbackURL names `link`): the email links land here with `?error=` too.
  const error = link ? params.get("error") : null;
  const provider = labelOf(link ?? linked ?? "") || "The provider";
  if (error)
    return {
      kind: "error",
      text: LINK_ERRORS[error]?.(provider) ?? `Linking ${provider} failed (${error}). Try again.`,
    };
  if (linked) return { kind: "success", text: `${provider} is linked. You can sign in with it now.` };
  return undefined;
}

/** `session`: the page's session; a new one (after a first password is set, say) reloads the list. */
export function LinkedAccounts({ stack, session }: { stack: StackInfo; session: SessionInfo }) {
  const labelOf = (id: string) =>
    id === "credential" ? "Password" : (stack.socialProviders.find((p) => p.id === id)?.label ?? id);
  const [accounts, setAccounts] = useState<LinkedAccount[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [notice, setNotice] = useState(() => returnNotice(labelOf));
  const { busy, error, run } = useAction();
  const load = () =>
    get<LinkedAccount[]>("/list-accounts")
      .then(setAccounts)
      .catch((err) => setLoadError(messageOf(err)));
  useEffect(() => void load(), [session]);
  // The message is shown once: a reload of the page does not repeat it.
  useEffect(() => {
    if (notice) history.replaceState(null, "", location.pathname);
  }, []);

  const link = (provider: string) =>
    run(async () => {
      setNotice(undefined);
      const answer = await post("/link-social", {
        provider,
        callbackURL: `/account?linked=${provider}`,
        errorCallbackURL: `/account?link=${provider}`,
      });
      const url = redirectOf(answer);
      if (url) location.assign(url);
    });
  const unlink = (account: LinkedAccount) =>
    run(async () => {
      setNotice(undefined);
      await post("/unlink-account", { accountId: account.id });
      await load();
      setNotice({ kind: "success", text: `${labelOf(account.providerId)} is unlinked.` });
    });

  const linkable = stack.socialProviders.filter((p) => !accounts?.some((a) => a.providerId === p.id));
  return (
    <section aria-labelledby="linked-title">
      <h2 id="linked-title">Linked accounts</h2>
      <p class="muted">The ways you sign in to this account.</p>
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {!accounts && !loadError && <p class="muted">Loading…</p>}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <ul class="rows" aria-label="Your linked accounts">
        {accounts?.map((a) => (
          <li key={a.id} data-testid="linked-account">
            <span>
              {labelOf(a.providerId)} <span class="muted">linked {day(a.createdAt)}</span>
            </span>
            {/* A password is changed above, not unlinked here. */}
            {a.providerId !== "credential" && (
              <Button
                kind="danger"
                type="button"
                busy={busy}
                onClick={() => unlink(a)}
                label={`Unlink ${labelOf(a.providerId)}`}
              >
                Unlink
              </Button>
            )}
          </li>
        ))}
      </ul>
      {accounts &&
        linkable.map((p) => (
          <Button key={p.id} kind="secondary" type="button" busy={busy} onClick={() => link(p.id)}>
            Link {p.label}
          </Button>
        ))}
    </section>
  );
}

function day(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleDateString();
}
