/**
 * How each screenshot's page is reached on a running stack, as a person would get there: real
 * sign-ups, emails read from the local outbox, an OAuth client registered over HTTP.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Browser, Locator, Page } from "playwright-core";
import { Session } from "../../test/support/http.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../../test/support/outbox.ts";
import type { RunningStack } from "../../test/support/stack.ts";
import { Authenticator } from "../../test/support/totp.ts";
import type { ShotName } from "./pages.ts";

export const PASSWORD = "correct horse battery";

export interface Scene {
  stack: RunningStack;
  stage: string;
  browser: Browser;
  /** A fresh browser profile at the screenshots' size. */
  newPage(): Promise<Page>;
}

/**
 * Puts the page in the state to show; the caller then waits for it to settle and takes the picture:
 * of the whole page, or with `section`, of the window scrolled to that section.
 */
export type Drive = (scene: Scene) => Promise<Page | { page: Page; section: Locator }>;

/** A section of /account at the top of the window, for a shot of that section. */
async function atSection(page: Page, title: string) {
  const section = page.getByRole("region", { name: title });
  await section.evaluate((el) => el.scrollIntoView({ block: "start" }));
  return { page, section };
}

const form = (page: Page, name: string) => page.getByRole("form", { name });

async function signUp(scene: Scene, name: string, email: string): Promise<Session> {
  const session = new Session(scene.stack.url);
  const res = await session.post("/auth/v1/sign-up/email", { name, email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`sign-up of ${email}: ${res.status} ${await res.text()}`);
  return session;
}

async function signInInBrowser(scene: Scene, email: string): Promise<Page> {
  const page = await scene.newPage();
  await page.goto(`${scene.stack.url}/login`);
  const signIn = form(page, "Sign in with password");
  await signIn.getByLabel("Email", { exact: true }).fill(email);
  await signIn.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${scene.stack.url}/account`);
  return page;
}

async function turnOnTwoFactor(session: Session): Promise<void> {
  const enable = await session.post("/auth/v1/two-factor/enable", { password: PASSWORD });
  const { totpURI } = (await enable.json()) as { totpURI: string };
  const app = Authenticator.fromBase32(new URL(totpURI).searchParams.get("secret") ?? "");
  await session.post("/auth/v1/two-factor/verify-totp", { code: await app.nextCode() });
}

/** Each stack is fresh, so plain addresses; a label is used once. */
const address = (label: string) => `${label}@example.com`;

/** A signed-in person's /account, with an organization and an API key so those sections have rows. */
async function filledAccount(scene: Scene): Promise<Page> {
  const email = address("ada");
  await signUp(scene, "Ada Lovelace", email);
  const page = await signInInBrowser(scene, email);
  // The browser's own cookies (page.request shares them); evaluate() cannot take tsx's helper-wrapped functions.
  const post = (route: string, data: unknown) =>
    page.request.post(`${scene.stack.url}/auth/v1${route}`, { data, headers: { origin: scene.stack.url } });
  await post("/organization/create", { name: "Analytical Engines", slug: `engines-${scene.stage}` });
  await post("/api-key/create", { name: "build server" });
  await page.reload();
  return page;
}

async function twoFactorSetup(scene: Scene, label: string, name: string): Promise<Page> {
  const email = address(label);
  await signUp(scene, name, email);
  const page = await signInInBrowser(scene, email);
  const turnOn = form(page, "Turn on two-factor authentication");
  await turnOn.getByLabel("Your password").fill(PASSWORD);
  await turnOn.getByRole("button", { name: "Turn on" }).click();
  await page.getByRole("heading", { name: "Set up your authenticator app" }).waitFor();
  return page;
}

export const DRIVES: Record<ShotName, Drive> = {
  async login(scene) {
    const page = await scene.newPage();
    await page.goto(`${scene.stack.url}/login`);
    await form(page, "Sign in with password").waitFor();
    return page;
  },
  async "login-create-account"(scene) {
    const page = await scene.newPage();
    await page.goto(`${scene.stack.url}/login`);
    await form(page, "Sign in with password").getByRole("button", { name: "Create an account" }).click();
    await form(page, "Create an account").waitFor();
    return page;
  },
  async "login-forgot-password"(scene) {
    const page = await scene.newPage();
    await page.goto(`${scene.stack.url}/login?forgot=1`);
    await form(page, "Reset your password").waitFor();
    return page;
  },
  async "login-second-factor"(scene) {
    const email = address("tess");
    await turnOnTwoFactor(await signUp(scene, "Tess", email));
    const page = await scene.newPage();
    await page.goto(`${scene.stack.url}/login`);
    const signIn = form(page, "Sign in with password");
    await signIn.getByLabel("Email", { exact: true }).fill(email);
    await signIn.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#field-second-factor").waitFor();
    return page;
  },
  async "login-link-spent"(scene) {
    const page = await scene.newPage();
    await page.goto(`${scene.stack.url}/login?error=INVALID_TOKEN`);
    await page.getByRole("alert").first().waitFor();
    return page;
  },
  account: filledAccount,
  async "account-two-factor-setup"(scene) {
    return atSection(await twoFactorSetup(scene, "grace", "Grace Hopper"), "Two-factor authentication");
  },
  async "account-backup-codes"(scene) {
    const page = await twoFactorSetup(scene, "hedy", "Hedy Lamarr");
    const app = Authenticator.fromBase32((await page.getByTestId("totp-secret").textContent()) ?? "");
    const confirm = form(page, "Confirm two-factor authentication");
    await confirm.getByLabel("Code from the app").fill(await app.nextCode());
    await confirm.getByRole("button", { name: "Verify and turn on" }).click();
    await page.getByRole("heading", { name: "Two-factor authentication is on." }).waitFor();
    return atSection(page, "Two-factor authentication");
  },
  async "account-delete"(scene) {
    const email = address("dora");
    await signUp(scene, "Dora", email);
    const page = await signInInBrowser(scene, email);
    await page.getByRole("button", { name: "Delete my account…" }).click();
    await page.getByLabel("I understand my account is deleted for good").waitFor();
    return atSection(page, "Delete your account");
  },
  async "account-guest"(scene) {
    const page = await scene.newPage();
    await page.goto(`${scene.stack.url}/login`);
    await page.getByRole("button", { name: "Continue as guest" }).click();
    await page.waitForURL(`${scene.stack.url}/account`);
    await page.getByRole("heading", { level: 2 }).first().waitFor();
    return page;
  },
  async admin(scene) {
    // Only a verified address in admin.userEmails is an admin: prove it with an emailed code.
    const email = "admin@example.com";
    const session = await signUp(scene, "Alice Admin", email);
    const after = await lastEmailSeq(scene.stage);
    await session.post("/auth/v1/email-otp/send-verification-otp", { email, type: "email-verification" });
    const otp = codeIn(await waitForEmail(scene.stage, email, { after }));
    await session.post("/auth/v1/email-otp/verify-email", { email, otp });
    const page = await signInInBrowser(scene, email);
    await page.goto(`${scene.stack.url}/account/admin`);
    await page.getByTestId("user-count").waitFor();
    return page;
  },
  async consent(scene) {
    const email = address("carl");
    await signUp(scene, "Carl", email);
    const registered = await new Session(scene.stack.url).post("/auth/v1/oauth2/register", {
      client_name: "Example CRM",
      redirect_uris: ["https://crm.example.com/callback"],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    });
    const { client_id } = (await registered.json()) as { client_id: string };
    const verifier = randomBytes(32).toString("base64url");
    const authorize = new URL(`${scene.stack.url}/auth/v1/oauth2/authorize`);
    for (const [key, value] of Object.entries({
      response_type: "code",
      client_id,
      redirect_uri: "https://crm.example.com/callback",
      scope: "openid profile email offline_access",
      state: randomBytes(8).toString("hex"),
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      resource: scene.stack.url,
    }))
      authorize.searchParams.set(key, value);
    const page = await signInInBrowser(scene, email);
    await page.goto(authorize.href);
    await page.waitForURL((url) => url.pathname === "/consent");
    await page.getByRole("button", { name: "Allow" }).waitFor();
    return page;
  },
  async "consent-nothing"(scene) {
    const page = await scene.newPage();
    await page.goto(`${scene.stack.url}/consent`);
    await page.getByRole("heading", { name: "Nothing to approve" }).waitFor();
    return page;
  },
  async "reset-password"(scene) {
    const email = address("rita");
    await signUp(scene, "Rita", email);
    const after = await lastEmailSeq(scene.stage);
    await new Session(scene.stack.url).post("/auth/v1/request-password-reset", {
      email,
      redirectTo: `${scene.stack.url}/reset-password`,
    });
    const link = linkIn(await waitForEmail(scene.stage, email, { after }), "/reset-password/");
    const page = await scene.newPage();
    await page.goto(link);
    await page.waitForURL((url) => url.pathname === "/reset-password" && url.searchParams.has("token"));
    await page.getByRole("textbox", { name: "New password" }).waitFor();
    return page;
  },
  async "reset-password-spent"(scene) {
    const page = await scene.newPage();
    await page.goto(`${scene.stack.url}/reset-password?error=INVALID_TOKEN`);
    await page.getByText("This reset link is not valid any more").waitFor();
    return page;
  },
  async "accept-invitation"(scene) {
    const owner = address("olga");
    const invitee = address("ivo");
    const inviter = await signUp(scene, "Olga", owner);
    await inviter.post("/auth/v1/organization/create", { name: "Initech", slug: `initech-${scene.stage}` });
    const after = await lastEmailSeq(scene.stage);
    const invited = await inviter.post("/auth/v1/organization/invite-member", {
      email: invitee,
      role: "member",
    });
    if (invited.status !== 200) throw new Error(`invite: ${invited.status} ${await invited.text()}`);
    const link = linkIn(await waitForEmail(scene.stage, invitee, { after }), "/accept-invitation?id=");
    await signUp(scene, "Ivo", invitee);
    const page = await signInInBrowser(scene, invitee);
    await page.goto(link);
    await page.getByRole("button", { name: "Accept" }).waitFor();
    return page;
  },
  async "admin-not-for-you"(scene) {
    const email = address("nina");
    await signUp(scene, "Nina", email);
    const page = await signInInBrowser(scene, email);
    await page.goto(`${scene.stack.url}/account/admin`);
    await page.getByRole("heading", { name: "Not for you" }).waitFor();
    return page;
  },
};
