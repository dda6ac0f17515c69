/**
 * /account's password section: change it with the current one, under the sign-up length rule.
 * Other devices are signed out unless the person unticks the box (authform's default too:
 * worker/auth/revoke-on-password-change.ts), so a password changed because someone else knows it
 * also ends that person's sessions.
 */
import { useState } from "preact/hooks";
import { post } from "../api.ts";
import { Button, Check, Field, Form, Notice, useAction } from "../components/ui.tsx";
import type { StackInfo } from "../stack.ts";
import { passwordWasSet, useHasPassword } from "./has-password.ts";
import { SetPassword } from "./set-password.tsx";

export function ChangePassword({
  stack,
  onChange,
}: {
  stack: StackInfo;
  /** The current session is replaced when others are signed out: the page reloads it. */
  onChange: () => Promise<void>;
}) {
  // Only accounts with a password can change one (sign-up by code, link, passkey or social has
  // none): the others are offered to set one, and then this form.
  const [justSet, setJustSet] = useState(false);
  const asked = useHasPassword();
  const hasPassword = justSet || asked;
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [signOutOthers, setSignOutOthers] = useState(true);
  const [done, setDone] = useState<string | undefined>();
  const { busy, error, run } = useAction();
  const { min, max } = stack.passwordLength;
  const submit = () =>
    run(async () => {
      setDone(undefined);
      await post("/change-password", {
        currentPassword: current,
        newPassword: next,
        revokeOtherSessions: signOutOthers,
      });
      setCurrent("");
      setNext("");
      setDone(
        signOutOthers
          ? "Password changed. Your other devices are signed out."
          : "Password changed. Your other devices stay signed in.",
      );
      await onChange();
    });
  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      {hasPassword === false ? (
        <SetPassword
          stack={stack}
          onSet={() => {
            passwordWasSet();
            setJustSet(true);
            setDone("Password set. You can now sign in with your email and this password.");
            // The page reloads the session: the linked accounts list the password now.
            void onChange();
          }}
        />
      ) : (
        <Form label="Change your password" onSubmit={submit}>
          {done && <Notice kind="success">{done}</Notice>}
          {error && <Notice kind="error">{error}</Notice>}
          <Field
            label="Current password"
            name="current-password"
            type="password"
            autocomplete="current-password"
            value={current}
            onInput={setCurrent}
          />
          <Field
            label="New password"
            name="new-password"
            type="password"
            autocomplete="new-password"
            minLength={min}
            maxLength={max}
            hint={`At least ${min} characters.`}
            value={next}
            onInput={setNext}
          />
          <Check
            name="sign-out-others"
            label="Sign out my other devices (recommended)"
            checked={signOutOthers}
            onChange={setSignOutOthers}
          />
          <Button busy={busy}>Change password</Button>
        </Form>
      )}
    </section>
  );
}
