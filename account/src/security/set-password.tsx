/**
 * /account's password section for an account without a password (signed up by code, link, passkey
 * or another account): "Set a password". The Worker wants a sign-in of the last 5 minutes for it
 * (worker/auth/set-password.ts), the same rule as deleting such an account.
 */
import { useState } from "preact/hooks";
import { post } from "../api.ts";
import { Button, Field, Form, Notice, useAction } from "../components/ui.tsx";
import type { StackInfo } from "../stack.ts";

export function SetPassword({ stack, onSet }: { stack: StackInfo; onSet: () => void }) {
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const { min, max } = stack.passwordLength;
  const submit = () =>
    run(async () => {
      await post("/set-password", { newPassword: password });
      onSet();
    });
  return (
    <Form label="Set a password" onSubmit={submit}>
      <p>
        You sign in without a password (with an emailed code or link, a passkey or another account). Set one
        to sign in with your email and a password too. For your safety, this works only within 5 minutes of
        signing in.
      </p>
      {error && <Notice kind="error">{error}</Notice>}
      <Field
        label="New password"
        name="set-password"
        type="password"
        autocomplete="new-password"
        minLength={min}
        maxLength={max}
        hint={`At least ${min} characters.`}
        value={password}
        onInput={setPassword}
      />
      <Button busy={busy}>Set password</Button>
    </Form>
  );
}
