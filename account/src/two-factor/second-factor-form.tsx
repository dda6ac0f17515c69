/**
 * /login's second step after a password sign-in on an account with two-factor on: a code from the
 * authenticator app, a backup code or an emailed code instead, and optionally trusting this browser
 * for 30 days.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, post } from "../api.ts";
import { Button, Check, Field, Form, Notice, useAction } from "../components/ui.tsx";

/** Better Auth's answer to a password sign-in that needs the second factor. */
export function needsSecondFactor(answer: unknown): boolean {
  return (
    typeof answer === "object" &&
    answer !== null &&
    (answer as { twoFactorRedirect?: unknown }).twoFactorRedirect === true
  );
}

const WAYS = {
  totp: {
    form: "Enter the code from your authenticator app",
    intro: "Open your authenticator app and enter the 6-digit code it shows for this account.",
    field: "Code",
    path: "/two-factor/verify-totp",
    other: "Use a backup code instead",
  },
  backup: {
    form: "Enter a backup code",
    intro: "Enter one of the backup codes you saved when you turned on two-factor authentication.",
    field: "Backup code",
    path: "/two-factor/verify-backup-code",
    other: "Use your authenticator app instead",
  },
  email: {
    form: "Enter the code we emailed you",
    intro: "We emailed you a 6-digit code. It works once, for 3 minutes.",
    field: "Code",
    path: "/two-factor/verify-otp",
    other: "Use your authenticator app instead",
  },
} as const;

export function SecondFactorForm({ finish, back }: { finish: (answer: unknown) => void; back: () => void }) {
  const [way, setWay] = useState<keyof typeof WAYS>("totp");
  const [code, setCode] = useState("");
  const [trust, setTrust] = useState(false);
  const { busy, error, setError, run } = useAction();
  const text = WAYS[way];
  const focusCode = () => document.getElementById("field-second-factor")?.focus();
  // The code field takes the focus, on arrival and on switching ways, so typing starts there.
  useEffect(focusCode, [way]);
  // After a refused code, back to the field with the code selected, to type the next one over it.
  useEffect(() => {
    if (!error) return;
    const input = document.getElementById("field-second-factor") as HTMLInputElement | null;
    input?.focus();
    input?.select();
  }, [error]);
  const verify = () =>
    run(async () => {
      try {
        finish(await post(text.path, { code: code.trim(), trustDevice: trust }));
      } catch (err) {
        // Better Auth says INVALID_CODE for both; an emailed code is not in the authenticator app.
        if (way === "email" && err instanceof ApiError && err.code === "INVALID_CODE")
          throw new ApiError(
            err.status,
            err.code,
            "That code is not right. Check the latest email and try again.",
          );
        throw err;
      }
    });
  const switchTo = (next: keyof typeof WAYS) => {
    setWay(next);
    setCode("");
    setError(undefined);
  };
  const emailMe = () =>
    run(async () => {
      await post("/two-factor/send-otp", {});
      switchTo("email");
    });
  return (
    <Form label={text.form} onSubmit={verify}>
      <h2>Two-factor authentication</h2>
      <p>{text.intro}</p>
      {error && <Notice kind="error">{error}</Notice>}
      <Field
        label={text.field}
        name="second-factor"
        autocomplete={way === "backup" ? "off" : "one-time-code"}
        inputMode={way === "backup" ? "text" : "numeric"}
        value={code}
        onInput={setCode}
      />
      <Check name="trust-device" label="Trust this browser for 30 days" checked={trust} onChange={setTrust} />
      <Button busy={busy}>Verify</Button>
      <div class="actions">
        <button type="button" class="link" onClick={() => switchTo(way === "totp" ? "backup" : "totp")}>
          {text.other}
        </button>
        {way !== "email" && (
          <button type="button" class="link" disabled={busy} onClick={emailMe}>
            Email me a code instead
          </button>
        )}
        <button type="button" class="link" onClick={back}>
          Sign in another way
        </button>
      </div>
    </Form>
  );
}
