/**
 * /reset-password: where a reset email's link lands (Better Auth checks the token, then sends the
 * browser here with `?token=` or `?error=`). A new password under the sign-up length rule; the reset
 * ends every session of the account (worker/auth/create-auth.ts), so the person then signs in anew.
 */
import { useState } from "preact/hooks";
import { ApiError, post } from "../api.ts";
import { Button, Field, Form, Layout, Notice, useAction } from "../components/ui.tsx";
import type { StackInfo } from "../stack.ts";

/** Where to ask for another link: /login with the forgot-password step open. */
const ASK_AGAIN = "/login?forgot=1";

export function ResetPasswordPage({ stack }: { stack: StackInfo }) {
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  const [password, setPassword] = useState("");
  const [spent, setSpent] = useState(params.has("error") || !token);
  const { busy, error, run } = useAction();
  const { min, max } = stack.passwordLength;
  const submit = () =>
    run(async () => {
      try {
        await post("/reset-password", { token, newPassword: password });
      } catch (err) {
        // Used already, or expired: the form would only fail again.
        if (err instanceof ApiError && err.code === "INVALID_TOKEN") setSpent(true);
        throw err;
      }
      location.assign("/login?reset=1");
    });
  return (
    <Layout appName={stack.appName} title="Choose a new password">
      {!stack.emailAndPassword ? (
        <Notice kind="info">This app does not sign in with passwords.</Notice>
      ) : spent ? (
        <Notice kind="error">
          This reset link is not valid any more: links work once and expire after an hour.{" "}
          <a href={ASK_AGAIN}>Ask for a new link</a>
        </Notice>
      ) : (
        <Form label="Choose a new password" onSubmit={submit}>
          {error && <Notice kind="error">{error}</Notice>}
          <Field
            label="New password"
            name="new-password"
            type="password"
            autocomplete="new-password"
            minLength={min}
            maxLength={max}
            hint={`At least ${min} characters.`}
            value={password}
            onInput={setPassword}
          />
          <Button busy={busy}>Set new password</Button>
        </Form>
      )}
    </Layout>
  );
}
