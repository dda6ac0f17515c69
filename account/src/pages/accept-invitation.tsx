/** /accept-invitation?id=: the organization invitation a member was emailed, to accept or decline. */
import { useEffect, useState } from "preact/hooks";
import { ApiError, get, messageOf, post } from "../api.ts";
import { Button, Layout, Notice, useAction } from "../components/ui.tsx";
import { getSession } from "../session.ts";
import type { StackInfo } from "../stack.ts";

interface Invitation {
  id: string;
  organizationName?: string;
  inviterEmail?: string;
  role?: string;
}

/** Why an invitation cannot be shown, in words that say what to do next. */
function loadProblem(err: unknown, signedInAs: string): { message: string; otherAccount: boolean } {
  if (err instanceof ApiError && err.code === "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION") {
    return {
      message: `This invitation was sent to another email address, and you are signed in as ${signedInAs}. Sign in with the address the invitation was sent to.`,
      otherAccount: true,
    };
  }
  if (err instanceof ApiError && err.status === 400) {
    return {
      message:
        "This invitation cannot be found. It may have expired, been withdrawn, or been answered already. Ask the person who invited you to send a new one.",
      otherAccount: false,
    };
  }
  return { message: messageOf(err), otherAccount: false };
}

export function AcceptInvitationPage({ stack }: { stack: StackInfo }) {
  const id = new URLSearchParams(location.search).get("id");
  const [invitation, setInvitation] = useState<Invitation | undefined>();
  const [problem, setProblem] = useState<{ message: string; otherAccount: boolean } | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (!id) return;
    let email = "";
    (async () => {
      const session = await getSession();
      if (!session) {
        location.replace(`/login?${new URLSearchParams({ redirect: location.href })}`);
        return;
      }
      email = session.user.email;
      setInvitation(await get<Invitation>(`/organization/get-invitation?${new URLSearchParams({ id })}`));
    })().catch((err) => setProblem(loadProblem(err, email)));
  }, []);

  const org = invitation?.organizationName ?? "the organization";
  const answer = (accept: boolean) =>
    run(async () => {
      await post(`/organization/${accept ? "accept" : "reject"}-invitation`, { invitationId: id });
      setDone(accept ? `You joined ${org}.` : `You declined the invitation to join ${org}.`);
    });
  const switchAccount = () =>
    run(async () => {
      await post("/sign-out");
      location.assign(`/login?${new URLSearchParams({ redirect: location.href })}`);
    });

  return (
    <Layout appName={stack.appName} title="Organization invitation">
      {!id && (
        <Notice kind="error">This invitation link is incomplete. Open the link from your email again.</Notice>
      )}
      {id && !invitation && !problem && <p class="muted">Loading the invitation…</p>}
      {problem && (
        <>
          <Notice kind="error">{problem.message}</Notice>
          {problem.otherAccount ? (
            <Button busy={busy} kind="secondary" type="button" onClick={switchAccount}>
              Sign in with another account
            </Button>
          ) : (
            <a href="/account">Go to your account</a>
          )}
        </>
      )}
      {done && (
        <Notice kind="success">
          {done} <a href="/account">Go to your account</a>
        </Notice>
      )}
      {invitation && !done && (
        <>
          <p>
            {invitation.inviterEmail ?? "Someone"} invited you to join <strong>{org}</strong>
            {invitation.role ? ` as ${invitation.role}` : ""}.
          </p>
          {error && <Notice kind="error">{error}</Notice>}
          <div class="actions">
            <Button busy={busy} type="button" onClick={() => answer(true)}>
              Accept
            </Button>
            <Button busy={busy} kind="secondary" type="button" onClick={() => answer(false)}>
              Decline
            </Button>
          </div>
        </>
      )}
    </Layout>
  );
}
