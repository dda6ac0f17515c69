/**
 * /login's "Forgot password?" step: the address, then a reset link by email that lands on
 * /reset-password. The answer is the same whether an account uses the address or not (Better Auth
 * answers both alike), so the page cannot tell anyone which addresses have accounts.
 */
import { useEffect, useState } from "preact/hooks";
import { post } from "../api.ts";
import { Button, Field, Form, Notice, useAction } from "../components/ui.tsx";

export function ForgotPasswordForm({ email: given, back }: { email: string; back: () => void }) {
  const [email, setEmail] = useState(given);
  const [sentTo, setSentTo] = useState<string | undefined>();
  const { busy, error, run } = useAction();
  useEffect(() => document.getElementById("field-reset-email")?.focus(), []);
  const submit = () =>
    run(async () => {
      setSentTo(undefined);
      const to = email.trim();
      await post("/request-password-reset", {
        email: to,
        redirectTo: new URL("/reset-password", location.href).href,
      });
      setSentTo(to);
    });
  return (
    <Form label="Reset your password" onSubmit={submit}>
      <p>Enter the email address of your account. We will email you a link to choose a new password.</p>
      {error && <Notice kind="error">{error}</Notice>}
      {sentTo && (
        <Notice kind="success">
          If an account uses {sentTo}, we sent it a link to reset the password. Check your inbox; the link
          works once, within an hour.
        </Notice>
      )}
      <Field
        label="Email"
        name="reset-email"
        type="email"
        autocomplete="email"
        value={email}
        onInput={setEmail}
      />
      <Button busy={busy}>Email me a reset link</Button>
      <button type="button" class="link" onClick={back}>
        Back to sign in
      </button>
    </Form>
  );
}
