/**
 * /account's two-factor section (Better Auth's twoFactor): turn it on (password, QR code and setup
 * key, a first code to confirm, then the backup codes once), get new backup codes, turn it off —
 * with the password, or, on an account without one, a sign-in of the last 5 minutes
 * (worker/auth/plugins/two-factor/turn-off-rules.ts).
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { post } from "../api.ts";
import { BackupCodes } from "../components/backup-codes.tsx";
import { QrCode } from "../components/qr-code.tsx";
import { Button, Field, Form, Notice, useAction } from "../components/ui.tsx";
import { useHasPassword } from "../security/has-password.ts";

type Step =
  | { kind: "overview" }
  /** Enabled but not confirmed: the app is set up from the URI, then one code turns 2FA on. */
  | { kind: "scan"; totpURI: string; backupCodes: string[] }
  | { kind: "codes"; codes: string[]; note: string };

export function TwoFactorSettings({
  enabled,
  appName,
  onChange,
}: {
  enabled: boolean;
  appName: string;
  onChange: () => Promise<void>;
}) {
  const [step, setStep] = useState<Step>({ kind: "overview" });
  // undefined (still asking) counts as a password: the forms as they were, the server has the last word.
  const withPassword = useHasPassword() !== false;
  const done = () => setStep({ kind: "overview" });
  return (
    <section aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Two-factor authentication</h2>
      {step.kind === "scan" && (
        <ConfirmEnrollment
          {...step}
          appName={appName}
          cancel={done}
          confirmed={async () => {
            await onChange();
            setStep({
              kind: "codes",
              codes: step.backupCodes,
              note: "Two-factor authentication is on.",
            });
          }}
        />
      )}
      {step.kind === "codes" && (
        <StepHeading title={step.note}>
          <BackupCodes codes={step.codes} appName={appName} />
          <Button kind="secondary" type="button" onClick={done}>
            I have saved my backup codes
          </Button>
        </StepHeading>
      )}
      {step.kind === "overview" &&
        (enabled ? (
          <>
            <p>
              On: signing in with your password also asks for a code from your authenticator app, or a backup
              code.
            </p>
            {withPassword ? (
              <PasswordForm
                label="Get new backup codes"
                action="Get new backup codes"
                hint="Your old backup codes stop working."
                run={async (password) => {
                  const { backupCodes } = await post<{ backupCodes: string[] }>(
                    "/two-factor/generate-backup-codes",
                    { password },
                  );
                  setStep({ kind: "codes", codes: backupCodes, note: "New backup codes" });
                }}
              />
            ) : (
              <p>New backup codes take a password: set one under Password first.</p>
            )}
            <PasswordForm
              label="Turn off two-factor authentication"
              action="Turn off"
              danger
              withPassword={withPassword}
              run={async (password) => {
                await post("/two-factor/disable", withPassword ? { password } : {});
                await onChange();
              }}
            />
          </>
        ) : (
          <>
            <p>Off. Add a code from an authenticator app to signing in with your password.</p>
            <PasswordForm
              label="Turn on two-factor authentication"
              action="Turn on"
              run={async (password) => {
                const answer = await post<{ totpURI: string; backupCodes: string[] }>("/two-factor/enable", {
                  password,
                });
                setStep({ kind: "scan", ...answer });
              }}
            />
          </>
        ))}
    </section>
  );
}

/** A step's own heading, focused when it appears so a screen reader starts reading there. */
function StepHeading({ title, children }: { title: string; children: ComponentChildren }) {
  useEffect(() => document.getElementById("two-factor-step")?.focus(), []);
  return (
    <div>
      <h3 id="two-factor-step" tabIndex={-1}>
        {title}
      </h3>
      {children}
    </div>
  );
}

function PasswordForm({
  label,
  action,
  hint,
  danger = false,
  withPassword = true,
  run: act,
}: {
  label: string;
  action: string;
  hint?: string;
  danger?: boolean;
  /** false: an account without a password, where a sign-in of the last 5 minutes stands in for it. */
  withPassword?: boolean;
  run: (password: string) => Promise<void>;
}) {
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const name = label.toLowerCase().replace(/[^a-z]+/g, "-");
  return (
    <Form label={label} onSubmit={() => run(() => act(password))}>
      <h3>{label}</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {withPassword ? (
        <Field
          label="Your password"
          name={`${name}-password`}
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={setPassword}
          hint={hint}
        />
      ) : (
        <p>
          For your safety, this works only within 5 minutes of signing in. If it is longer, sign out and in
          again.
        </p>
      )}
      <Button busy={busy} kind={danger ? "danger" : "primary"}>
        {action}
      </Button>
    </Form>
  );
}

function ConfirmEnrollment({
  totpURI,
  appName,
  cancel,
  confirmed,
}: {
  totpURI: string;
  appName: string;
  cancel: () => void;
  confirmed: () => Promise<void>;
}) {
  const [code, setCode] = useState("");
  const { busy, error, run } = useAction();
  const secret = new URL(totpURI).searchParams.get("secret") ?? "";
  const verify = () =>
    run(async () => {
      await post("/two-factor/verify-totp", { code: code.trim() });
      await confirmed();
    });
  return (
    <StepHeading title="Set up your authenticator app">
      <p>
        Scan this QR code with an authenticator app (such as 1Password, Google Authenticator or Aegis), or
        enter the setup key by hand.
      </p>
      <QrCode text={totpURI} label={`QR code to add ${appName} to an authenticator app`} />
      <dl class="facts">
        <dt>Setup key</dt>
        <dd>
          <code class="secret" data-testid="totp-secret">
            {secret}
          </code>
        </dd>
      </dl>
      <Form label="Confirm two-factor authentication" onSubmit={verify}>
        {error && <Notice kind="error">{error}</Notice>}
        <Field
          label="Code from the app"
          name="enroll-code"
          autocomplete="one-time-code"
          inputMode="numeric"
          value={code}
          onInput={setCode}
          hint="Two-factor authentication turns on once a code from the app checks out."
        />
        <div class="actions">
          <Button busy={busy}>Verify and turn on</Button>
          <Button kind="secondary" type="button" onClick={cancel}>
            Cancel
          </Button>
        </div>
      </Form>
    </StepHeading>
  );
}
