/** /login: every sign-in method the stack runs (and sign-up where allowed) around one email field, then on to `?redirect=`. */
import { useEffect, useState } from "preact/hooks";
import { post, redirectOf } from "../api.ts";
import { SocialButton } from "../components/social-button.tsx";
import { Button, Field, Form, Layout, Notice, useAction } from "../components/ui.tsx";
import { passkeysSupported, signInWithPasskey } from "../passkey.ts";
import { ForgotPasswordForm } from "../password-reset/forgot-password-form.tsx";
import { DEFAULT_AFTER_SIGN_IN, safeRedirect } from "../redirect.ts";
import { getSession, type SessionInfo } from "../session.ts";
import { offers, type StackInfo } from "../stack.ts";
import { needsSecondFactor, SecondFactorForm } from "../two-factor/second-factor-form.tsx";
import { awaitsVerification, checkInboxURL, verifiedCallbackURL } from "../verification.ts";

/** Better Auth's error codes on a magic link that could not be used. */
const LINK_ERRORS: Record<string, string> = {
  INVALID_TOKEN: "That sign-in link is not valid any more (links work once and expire). Ask for a new one.",
  EXPIRED_TOKEN: "That sign-in link has expired. Ask for a new one.",
  // Social sign-in (Better Auth's callback errors).
  account_not_linked:
    "An account with this email already exists. Sign in to it the usual way; the provider did not confirm the address is yours.",
  access_denied: "Sign-in was cancelled at the provider.",
  state_mismatch: "That sign-in attempt expired or was already used. Start again.",
  state_security_mismatch: "That sign-in attempt expired or was already used. Start again.",
  invalid_code: "The provider did not complete the sign-in. Try again in a moment.",
  // A preview's sign-in through the stable stage (auth.oauthProxy, docs/social-previews.md).
  preview_origin_refused:
    "This stage does not hand sign-ins to the site you started from. Start again from one of this app's own previews.",
  invalid_profile: "That sign-in could not be verified. Start again.",
  missing_profile: "That sign-in could not be verified. Start again.",
  payload_expired: "That sign-in took too long to complete. Start again.",
};

/** The shared email input, for the buttons that are not the form's submit (they check it themselves). */
const EMAIL_FIELD = "field-email";

export function LoginPage({ stack }: { stack: StackInfo }) {
  const params = new URLSearchParams(location.search);
  const oauthQuery = params.get("oauth_query");
  const target = safeRedirect(params.get("redirect"), location.href, stack.trustedOrigins);
  const linkError = params.get("error");
  const verifyPending = params.get("verify");
  const verified = params.get("verified") === "1";
  const deleted = params.get("deleted") === "1";
  const reset = params.get("reset") === "1";
  // Came from an invitation link: the account must be the one the invitation was sent to.
  const invited = new URL(target).pathname === "/accept-invitation";

  // Already signed in (and not a guest, not asked to sign in again): go on.
  useEffect(() => {
    if (oauthQuery) return;
    getSession()
      .then((s) => {
        if (s && !s.user.isAnonymous)
          location.replace(heldToEnroll(stack, s) ? DEFAULT_AFTER_SIGN_IN : target);
      })
      .catch(() => undefined);
  }, []);

  /**
   * After a sign-in: Better Auth's own next step (OAuth consent) wins, else the checked redirect; a
   * user a required two-factor holds goes to /account to enroll first.
   */
  const finish = async (answer: unknown) => {
    const held = stack.twoFactorRequired && heldToEnroll(stack, await getSession().catch(() => null));
    location.assign(held ? DEFAULT_AFTER_SIGN_IN : (redirectOf(answer) ?? target));
  };
  const withOauth = (body: Record<string, unknown>) =>
    oauthQuery ? { ...body, oauth_query: oauthQuery } : body;

  const byEmail = stack.emailAndPassword || offers(stack, "email code") || offers(stack, "email link");
  // The methods that are a button of their own (the email ones share the email field).
  const buttons = [
    ...stack.socialProviders.map((provider) => (
      <SocialButton key={provider.id} provider={provider} target={target} finish={finish} />
    )),
    offers(stack, "passkey") && <PasskeyButton key="passkey" finish={finish} oauthQuery={oauthQuery} />,
    offers(stack, "guest") && <GuestButton key="guest" finish={finish} />,
  ].filter(Boolean);

  return (
    <Layout appName={stack.appName} title={`Sign in to ${stack.appName}`}>
      {linkError && (
        <Notice kind="error">{LINK_ERRORS[linkError] ?? `Sign-in failed (${linkError}). Try again.`}</Notice>
      )}
      {verifyPending && (
        <Notice kind="success">
          Check your inbox: we sent a link to {verifyPending}. Follow it to verify your address, then sign in.
        </Notice>
      )}
      {verified && !linkError && (
        <Notice kind="success">Your email address is verified. Sign in to continue.</Notice>
      )}
      {reset && (
        <Notice kind="success">
          Your password is changed, and every device that was signed in is signed out. Sign in with your new
          password.
        </Notice>
      )}
      {deleted && <Notice kind="success">Your account is deleted. Thank you for having been with us.</Notice>}
      {invited && (
        <Notice kind="info">
          To accept your invitation, sign in — or create an account — with the email address it was sent to.
        </Notice>
      )}
      {!byEmail && buttons.length === 0 && (
        <Notice kind="info">This app has no sign-in method turned on. Ask its operator to enable one.</Notice>
      )}
      {byEmail && <EmailSignIn stack={stack} target={target} finish={finish} withOauth={withOauth} />}
      {buttons.length > 0 && (
        <>
          {byEmail && <Divider />}
          <div class="stack">{buttons}</div>
        </>
      )}
    </Layout>
  );
}

function Divider() {
  return (
    <p class="divider" aria-hidden="true">
      <span>or</span>
    </p>
  );
}

interface EmailSignInProps {
  stack: StackInfo;
  target: string;
  finish: (answer: unknown) => void;
  withOauth: (body: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * One email field for every email method: the password form submits with it, "Email me a code" and
 * "Email me a sign-in link" use the same address. After a code is sent, the code form takes its place.
 */
function EmailSignIn({ stack, target, finish, withOauth }: EmailSignInProps) {
  const password = stack.emailAndPassword;
  const otp = offers(stack, "email code");
  const link = offers(stack, "email link");
  const [mode, setMode] = useState<"sign-in" | "sign-up">("sign-in");
  const [email, setEmail] = useState("");
  const [secret, setSecret] = useState("");
  const [name, setName] = useState("");
  const [codeSentTo, setCodeSentTo] = useState<string | undefined>();
  const [linkSentTo, setLinkSentTo] = useState<string | undefined>();
  // "Forgot password?" (or a spent reset link's "ask for a new link": ?forgot=1).
  const [forgot, setForgot] = useState(
    () => password && new URLSearchParams(location.search).get("forgot") === "1",
  );
  // One factor checked out (a password, an emailed code, or a magic link or social sign-in that
  // landed here with ?second-factor=1); two-factor is on for the account, so a second step follows.
  const [secondFactor, setSecondFactor] = useState(
    () => new URLSearchParams(location.search).get("second-factor") === "1",
  );
  const { busy, error, setError, run } = useAction();
  const signUp = mode === "sign-up";

  /** The buttons besides submit skip the form's own checks, so they check the one field they need. */
  const checkedEmail = (): string | undefined => {
    const input = document.getElementById(EMAIL_FIELD) as HTMLInputElement | null;
    if (input && email.trim() !== "" && input.checkValidity()) return email.trim();
    setError("Enter your email address first.");
    input?.focus();
    return undefined;
  };
  const sendCode = () => {
    const to = checkedEmail();
    if (to)
      run(async () => {
        await post("/email-otp/send-verification-otp", { email: to, type: "sign-in" });
        setCodeSentTo(to);
      });
  };
  const sendLink = () => {
    const to = checkedEmail();
    if (to)
      run(async () => {
        setLinkSentTo(undefined);
        const errorCallbackURL = new URL("/login", location.href).href;
        await post("/sign-in/magic-link", { email: to, callbackURL: target, errorCallbackURL });
        setLinkSentTo(to);
      });
  };
  const submit = () => {
    if (!password) return otp ? sendCode() : sendLink();
    run(async () => {
      const answer = signUp
        ? await post(
            "/sign-up/email",
            withOauth({ email, password: secret, name, callbackURL: verifiedCallbackURL(target) }),
          )
        : await post("/sign-in/email", withOauth({ email, password: secret }));
      if (awaitsVerification(answer)) location.assign(checkInboxURL(email, target));
      else if (needsSecondFactor(answer)) setSecondFactor(true);
      else finish(answer);
    });
  };

  if (secondFactor) {
    return (
      <SecondFactorForm
        finish={finish}
        back={() => {
          setSecondFactor(false);
          setSecret("");
        }}
      />
    );
  }

  if (forgot) {
    return (
      <ForgotPasswordForm
        email={email}
        back={() => {
          setForgot(false);
          setError(undefined);
        }}
      />
    );
  }

  if (codeSentTo) {
    return (
      <CodeForm
        email={codeSentTo}
        finish={finish}
        withOauth={withOauth}
        secondFactor={() => {
          setCodeSentTo(undefined);
          setSecondFactor(true);
        }}
        back={() => {
          setCodeSentTo(undefined);
          setError(undefined);
        }}
      />
    );
  }

  const label = !password ? "Sign in with email" : signUp ? "Create an account" : "Sign in with password";
  return (
    <Form label={label} onSubmit={submit}>
      {error && <Notice kind="error">{error}</Notice>}
      {linkSentTo && (
        <Notice kind="success">Check your inbox: we sent a sign-in link to {linkSentTo}.</Notice>
      )}
      {signUp && <Field label="Name" name="name" autocomplete="name" value={name} onInput={setName} />}
      <Field label="Email" name="email" type="email" autocomplete="email" value={email} onInput={setEmail} />
      {password && (
        <>
          <Field
            label="Password"
            name="password"
            type="password"
            autocomplete={signUp ? "new-password" : "current-password"}
            // Signing up: the stack's length rule, said before the server has to refuse it.
            {...(signUp
              ? {
                  minLength: stack.passwordLength.min,
                  maxLength: stack.passwordLength.max,
                  hint: `At least ${stack.passwordLength.min} characters.`,
                }
              : {})}
            value={secret}
            onInput={setSecret}
          />
          <Button busy={busy}>{signUp ? "Create account" : "Sign in"}</Button>
          {/* Side by side, apart: two text buttons run together read as one. */}
          <div class="actions">
            {!signUp && (
              <button type="button" class="link" onClick={() => setForgot(true)}>
                Forgot password?
              </button>
            )}
            {stack.signUp && (
              <button
                type="button"
                class="link"
                onClick={() => {
                  setMode(signUp ? "sign-in" : "sign-up");
                  setError(undefined);
                }}
              >
                {signUp ? "I already have an account" : "Create an account"}
              </button>
            )}
          </div>
        </>
      )}
      {!signUp && (otp || link) && (
        <>
          {password && <Divider />}
          <div class="stack">
            {otp && (
              <Button busy={busy} kind={password ? "secondary" : "primary"} type="button" onClick={sendCode}>
                Email me a code
              </Button>
            )}
            {link && (
              <Button
                busy={busy}
                kind={password || otp ? "secondary" : "primary"}
                type="button"
                onClick={sendLink}
              >
                Email me a sign-in link
              </Button>
            )}
          </div>
        </>
      )}
    </Form>
  );
}

function CodeForm({
  email,
  finish,
  withOauth,
  back,
  secondFactor,
}: Pick<EmailSignInProps, "finish" | "withOauth"> & {
  email: string;
  back: () => void;
  secondFactor: () => void;
}) {
  const [otp, setOtp] = useState("");
  const { busy, error, run } = useAction();
  // The code field takes the focus, so a keyboard user types the code straight away.
  useEffect(() => document.getElementById("field-otp")?.focus(), []);
  const verify = () =>
    run(async () => {
      const answer = await post("/sign-in/email-otp", withOauth({ email, otp }));
      if (needsSecondFactor(answer)) secondFactor();
      else finish(answer);
    });
  return (
    <Form label="Enter the code from your email" onSubmit={verify}>
      <Notice kind="info">We sent a 6-digit code to {email}.</Notice>
      {error && <Notice kind="error">{error}</Notice>}
      <Field
        label="Code"
        name="otp"
        autocomplete="one-time-code"
        inputMode="numeric"
        value={otp}
        onInput={setOtp}
      />
      <Button busy={busy}>Sign in with code</Button>
      <button type="button" class="link" onClick={back}>
        Use another email or method
      </button>
    </Form>
  );
}

function PasskeyButton({ finish, oauthQuery }: { finish: (a: unknown) => void; oauthQuery: string | null }) {
  const { busy, error, run } = useAction();
  if (!passkeysSupported()) return <Notice kind="info">This browser cannot use passkeys.</Notice>;
  return (
    <div>
      {error && <Notice kind="error">{error}</Notice>}
      <Button
        busy={busy}
        kind="secondary"
        type="button"
        onClick={() => run(async () => finish(await signInWithPasskey(oauthQuery)))}
      >
        Sign in with a passkey
      </Button>
    </div>
  );
}

function GuestButton({ finish }: { finish: (a: unknown) => void }) {
  const { busy, error, run } = useAction();
  return (
    <div>
      {error && <Notice kind="error">{error}</Notice>}
      <Button
        busy={busy}
        kind="secondary"
        type="button"
        onClick={() => run(async () => finish(await post("/sign-in/anonymous")))}
      >
        Continue as guest
      </Button>
    </div>
  );
}

/** `twoFactor: { required: true }` and a signed-in (not guest) user who has not turned it on. */
function heldToEnroll(stack: StackInfo, s: SessionInfo | null): boolean {
  return stack.twoFactorRequired && s !== null && !s.user.isAnonymous && s.user.twoFactorEnabled !== true;
}
