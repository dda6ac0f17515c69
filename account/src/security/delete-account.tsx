/**
 * /account's last section: delete the account. Never one click: a first button opens the form, which
 * wants the password (or, for an account without one, a sign-in of the last few minutes; the Worker
 * checks both: worker/auth/delete-account.ts) and a ticked box saying it is for good.
 */
import { useEffect, useState } from "preact/hooks";
import { post } from "../api.ts";
import { Button, Check, Field, Form, Notice, useAction } from "../components/ui.tsx";
import { useHasPassword } from "./has-password.ts";

export function DeleteAccount() {
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby="delete-title">
      <h2 id="delete-title">Delete your account</h2>
      <p>
        Deleting your account removes it for good, with its sign-in methods, sessions, passkeys and API keys.
        It cannot be undone.
      </p>
      {open ? (
        <DeleteForm cancel={() => setOpen(false)} />
      ) : (
        <Button kind="danger" type="button" onClick={() => setOpen(true)}>
          Delete my account…
        </Button>
      )}
    </section>
  );
}

function DeleteForm({ cancel }: { cancel: () => void }) {
  const hasPassword = useHasPassword();
  const [password, setPassword] = useState("");
  const [sure, setSure] = useState(false);
  const { busy, error, run } = useAction();
  useEffect(() => document.getElementById("delete-step")?.focus(), []);
  const submit = () =>
    run(async () => {
      await post("/delete-user", hasPassword === false ? {} : { password });
      // The session went with the account: the sign-in page says what happened.
      location.assign("/login?deleted=1");
    });
  return (
    <Form label="Confirm account deletion" onSubmit={submit}>
      <h3 id="delete-step" tabIndex={-1}>
        Are you sure?
      </h3>
      {error && <Notice kind="error">{error}</Notice>}
      {hasPassword === false ? (
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
  );
}
