/**
 * /account's email section: change the address (a link goes to the new one, a notice to the old;
 * nothing changes until the link is followed: worker/auth/change-email-rules.ts), and, while the
 * address is not verified, send its verification link again. The links land back here, saying how
 * it went (`?email-change=done`, with Better Auth's `&error=` when the link was refused).
 */
import { useEffect, useState } from "preact/hooks";
import { post } from "../api.ts";
import { Button, Field, Form, Notice, useAction } from "../components/ui.tsx";
import type { User } from "../session.ts";

/** Better Auth's error codes on an email-change link that could not be used. */
const LINK_ERRORS: Record<string, string> = {
  INVALID_USER:
    "That link belongs to another account: it only works for the account that asked for the change. Nothing changed.",
  INVALID_TOKEN: "That link is not valid any more (links work once and expire). Ask for a new one.",
  TOKEN_EXPIRED: "That link has expired. Ask for a new one.",
};

const landing = (query: string) => new URL(`/account?${query}`, location.href).href;

export function EmailAddress({ user }: { user: User }) {
  const params = new URLSearchParams(location.search);
  const changed = params.get("email-change") === "done";
  const verified = params.get("verified") === "1";
  const linkError = changed || verified ? params.get("error") : null;
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby="email-title">
      <h2 id="email-title">Email address</h2>
      {linkError && (
        <Notice kind="error">{LINK_ERRORS[linkError] ?? `That link did not work (${linkError}).`}</Notice>
      )}
      {changed && !linkError && <Notice kind="success">Your email address is now {user.email}.</Notice>}
      {verified && !linkError && user.emailVerified && (
        <Notice kind="success">Your email address is verified.</Notice>
      )}
      {!user.emailVerified && <ResendVerification email={user.email} />}
      {open ? (
        <ChangeEmailForm current={user.email} close={() => setOpen(false)} />
      ) : (
        <Button kind="secondary" type="button" onClick={() => setOpen(true)}>
          Change email address…
        </Button>
      )}
    </section>
  );
}

function ResendVerification({ email }: { email: string }) {
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();
  const send = () =>
    run(async () => {
      setSent(false);
      await post("/send-verification-email", { email, callbackURL: landing("verified=1") });
      setSent(true);
    });
  return (
    <div>
      <p>Your address is not verified yet.</p>
      {error && <Notice kind="error">{error}</Notice>}
      {sent && <Notice kind="success">We sent a new verification link to {email}.</Notice>}
      <Button kind="secondary" type="button" busy={busy} onClick={send}>
        Send the verification link again
      </Button>
    </div>
  );
}

function ChangeEmailForm({ current, close }: { current: string; close: () => void }) {
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | undefined>();
  const { busy, error, setError, run } = useAction();
  useEffect(() => document.getElementById("field-new-email")?.focus(), []);
  const submit = () =>
    run(async () => {
      setSentTo(undefined);
      const to = email.trim().toLowerCase();
      if (to === current.toLowerCase()) return setError("That is your email address already.");
      await post("/change-email", { newEmail: to, callbackURL: landing("email-change=done") });
      setSentTo(to);
    });
  return (
    <Form label="Change your email address" onSubmit={submit}>
      {error && <Notice kind="error">{error}</Notice>}
      {sentTo && (
        <Notice kind="success">
          Check the inbox of {sentTo}: follow the link we sent there to confirm it. Until then your email
          address stays {current}.
        </Notice>
      )}
      <Field
        label="New email address"
        name="new-email"
        type="email"
        autocomplete="email"
        value={email}
        onInput={setEmail}
      />
      <div class="actions">
        <Button busy={busy}>Send confirmation link</Button>
        <Button kind="secondary" type="button" onClick={close}>
          Cancel
        </Button>
      </div>
    </Form>
  );
}
