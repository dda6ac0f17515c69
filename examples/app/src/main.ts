/** The example app's one page: sign in (password or passkey), who am I, call my backend, sign out. */
import { AuthformApiError } from "authform/client";
import { auth, backendToken } from "./auth.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>("status");
const signInForm = $<HTMLFormElement>("sign-in");
const signedIn = $<HTMLElement>("signed-in");
const answer = $<HTMLPreElement>("backend-answer");

function say(text: string): void {
  status.textContent = text;
}

/** Shows who is signed in, as the stack's fast path (/api/v1/me) says. */
async function render(): Promise<void> {
  try {
    const me = await auth.me();
    $("who").textContent = me.email ?? me.name ?? me.userId;
    $("user-id").textContent = me.userId;
    signInForm.hidden = true;
    signedIn.hidden = false;
    say("Signed in.");
  } catch (err) {
    if (!(err instanceof AuthformApiError) || err.status !== 401) throw err;
    signedIn.hidden = true;
    signInForm.hidden = false;
    answer.textContent = "";
    say("Signed out.");
  }
}

/** Runs an action, saying its error in words rather than failing silently. */
function action(run: () => Promise<void>): () => void {
  return () => {
    run().catch((err: unknown) => say(err instanceof Error ? err.message : String(err)));
  };
}

signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(signInForm);
  const intent = (event.submitter as HTMLButtonElement | null)?.value;
  const email = String(form.get("email"));
  const password = String(form.get("password"));
  action(async () => {
    const { error } =
      intent === "sign-up"
        ? await auth.signUp.email({ email, password, name: String(form.get("name") || email) })
        : await auth.signIn.email({ email, password });
    if (error) return say(error.message ?? "Sign-in failed.");
    auth.forgetToken();
    await render();
  })();
});

$("passkey-sign-in").addEventListener(
  "click",
  action(async () => {
    const result = await auth.signIn.passkey();
    if (result?.error) return say(result.error.message ?? "Passkey sign-in failed.");
    auth.forgetToken();
    await render();
  }),
);

$("add-passkey").addEventListener(
  "click",
  action(async () => {
    const result = await auth.passkey.addPasskey({ name: "Example App" });
    say(result?.error ? (result.error.message ?? "Could not add a passkey.") : "Passkey added.");
  }),
);

$("call-backend").addEventListener(
  "click",
  action(async () => {
    const res = await fetch("/api/hello", { headers: { authorization: `Bearer ${await backendToken()}` } });
    answer.textContent = JSON.stringify(await res.json());
  }),
);

$("sign-out").addEventListener(
  "click",
  action(async () => {
    await auth.signOut();
    auth.forgetToken();
    await render();
  }),
);

render().catch((err: unknown) => say(`The stack cannot be reached: ${String(err)}`));
