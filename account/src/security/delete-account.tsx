/**
 * /account's last section: delete the account. Never one click: a first button opens the form, which
 * wants re-authentication — the password, or a sign-in of the last few minutes, which a passkey or an
 * emailed code gives on the spot (confirm-it-is-you.tsx; the Worker checks: worker/auth/delete-account.ts)
 * — and a ticked box saying it is for good.
 */
import { useEffect, useState } from "preact/hooks";
import { post } from "../api.ts";
import { Button, Check, Field, Form, Notice, useAction } from "../components/ui.tsx";
import type { User } from "../session.ts";
import type { StackInfo } from "../stack.ts";
import { ConfirmItIsYou } from "./confirm-it-is-you.tsx";
import { useHasPassword } from "./has-password.ts";

export function DeleteAccount({ user, stack }: { user: User; stack: StackInfo }) {
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby="delete-title">
      <h2 id="delete-title">Delete your account</h2>
      <p>
        Deleting your account removes it for good, with its sign-in methods, sessions, passkeys and API keys.
        It cannot be undone.
      </p>
      {open ? (
        <DeleteForm user={user} stack={stack} cancel={() => setOpen(false)} />
      ) : (
        <Button kind="danger" type="button" onClick={() => setOpen(true)}>
          Delete my account…
        </Button>
      )}
    </section>
  );
}

function DeleteForm({ user, stack, cancel }: { user: User; stack: StackInfo; cancel: () => void }) {
  const hasPassword = useHasPassword();
  // Signed in again just now (by passkey or code): the password is not needed.
  const [fresh, setFresh] = useState(false);
  const [password, setPassword] = useState("");
  const [sure, setSure] = useState(false);
  const { busy, error, run } = useAction();
  useEffect(() => document.getElementById("delete-step")?.focus(), []);
  const submit = () =>
    run(async () => {
      await post("/delete-user", hasPassword === false || fresh ? {} : { password });
      // The session went with the account: the sign-in page says what happened.
      location.assign("/login?deleted=1");
    });
  return (
    <>
      <h3 id="delete-step" tabIndex={-1}>
        Are you sure?
      </h3>
      {!fresh && hasPassword !== undefined && (
        <ConfirmItIsYou
          user={user}
          stack={stack}
          withPassword={hasPassword}
          onConfirmed={() => setFresh(true)}
        />
      )}
      <Form label="Confirm account deletion" onSubmit={submit}>
        {error && <Notice kind="error">{error}</Notice>}
        {fresh ? (
          <Notice kind="success">Confirmed: you signed in again just now.</Notice>
        ) : hasPassword === false ? (
          <p>
            For your safety, this works only within 5 minutes of signing in. If it is longer, sign out and in
            again.
          </p>
        ) : (
          <Field
            label="Your password"
            name="delete-password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={setPassword}
          />
        )}
        <Check
          name="delete-sure"
          label="I understand my account is deleted for good"
          required
          checked={sure}
          onChange={setSure}
        />
        <div class="actions">
          <Button busy={busy} kind="danger">
            Delete my account for good
          </Button>
          <Button kind="secondary" type="button" onClick={cancel}>
            Cancel
          </Button>
        </div>
      </Form>
    </>
  );
}
