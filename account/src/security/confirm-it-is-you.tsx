/**
 * Re-authentication without the password, for deleting the account: a passkey ceremony or an emailed
 * sign-in code makes a new session, and a session of the last 5 minutes is what the Worker takes in
 * the password's place (worker/auth/delete-account.ts). Offered only where it cannot go wrong: the
 * passkey to an account that has one (the browser is then asked for this account's passkeys only),
 * the code to an account without two-factor (a code sign-in there would stop at the second factor).
 */
import { useEffect, useState } from "preact/hooks";
import { get, post } from "../api.ts";
import { Button, Field, Form, Notice, useAction } from "../components/ui.tsx";
import { passkeysSupported, signInWithPasskey } from "../passkey.ts";
import type { User } from "../session.ts";
import { hasPlugin, offers, type StackInfo } from "../stack.ts";

export function ConfirmItIsYou({
  user,
  stack,
  withPassword,
  onConfirmed,
}: {
  user: User;
  stack: StackInfo;
  /** Whether the form below asks for the password: this is then the other way. */
  withPassword: boolean;
  onConfirmed: () => void;
}) {
  const [passkey, setPasskey] = useState(false);
  const [codeSent, setCodeSent] = useState(false);
  const [otp, setOtp] = useState("");
  const { busy, error, run } = useAction();
  const byCode = offers(stack, "email code") && user.twoFactorEnabled !== true;
  useEffect(() => {
    if (hasPlugin(stack, "passkey") && passkeysSupported())
      get<unknown[]>("/passkey/list-user-passkeys")
        .then((list) => setPasskey(Array.isArray(list) && list.length > 0))
        .catch(() => setPasskey(false));
  }, []);
  if (!passkey && !byCode) return null;

  /** The new session must be this account's: otherwise the form below would delete another one. */
  const confirmed = (answer: unknown) => {
    if ((answer as { user?: { id?: string } } | null)?.user?.id !== user.id)
      throw new Error("That is another account's sign-in. Reload the page.");
    onConfirmed();
  };
  const sendCode = () =>
    run(async () => {
      await post("/email-otp/send-verification-otp", { email: user.email, type: "sign-in" });
      setCodeSent(true);
    });
  const verify = () =>
    run(async () => confirmed(await post("/sign-in/email-otp", { email: user.email, otp: otp.trim() })));
  return (
    <Form label="Confirm it is you" onSubmit={verify}>
      <p>
        {withPassword
          ? "Confirm it is you with your password below, or:"
          : "Confirm it is you by signing in again:"}
      </p>
      {error && <Notice kind="error">{error}</Notice>}
      {codeSent && (
        <>
          <Notice kind="info">We sent a 6-digit code to {user.email}.</Notice>
          <Field
            label="Code"
            name="delete-otp"
            autocomplete="one-time-code"
            inputMode="numeric"
            value={otp}
            onInput={setOtp}
          />
          <Button busy={busy} kind="secondary">
            Confirm with this code
          </Button>
        </>
      )}
      <div class="actions">
        {passkey && (
          <Button
            busy={busy}
            kind="secondary"
            type="button"
            onClick={() => run(async () => confirmed(await signInWithPasskey(null)))}
          >
            Confirm with a passkey
          </Button>
        )}
        {byCode && (
          <Button busy={busy} kind="secondary" type="button" onClick={sendCode}>
            Email me a code
          </Button>
        )}
      </div>
    </Form>
  );
}
