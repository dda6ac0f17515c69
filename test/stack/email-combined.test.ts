/**
 * emailOtp and magicLink together: one sign-in email carries a link and a code; either signs in, each
 * once. A code request (send-verification-otp) still sends the code-only email.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { stackPerFile } from "../support/stack-per-file.ts";

const file = stackPerFile("combo", "test/fixtures/email-combined.config.ts");
const { stage } = file;

const address = (label: string) => `${label}-${stage}@example.com`;

async function combinedEmail(email: string) {
  const after = await lastEmailSeq(stage);
  const res = await new Session(file.stack.url).post("/auth/v1/magic-link/send", {
    email,
    callbackURL: "/home",
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const message = await waitForEmail(stage, email, { after });
  return { message, link: linkIn(message, "/auth/v1/magic-link/verify"), code: codeIn(message) };
}

describe("the combined sign-in email", () => {
  it("carries a link and a code, in the text and the HTML", async () => {
    const email = address("ada");
    const { message, link, code } = await combinedEmail(email);
    expect(message).toMatchObject({
      kind: "magic-link",
      subject: "Sign in to email-combined-test: your link and code",
    });
    expect(message.html).toContain(code);
    expect(message.html).toContain(link.replace(/&/g, "&amp;"));
    expect(file.stack.logs()).toContain(`✉  magic-link for ${email}: ${link} (or code ${code})`);
  });

  it("signs in with the code (on another device), once", async () => {
    const email = address("code");
    const { code } = await combinedEmail(email);
    const phone = new Session(file.stack.url);
    const res = await phone.post("/auth/v1/sign-in/email-otp", { email, otp: code });
    expect(res.status, await res.clone().text()).toBe(200);
    const session = (await (await phone.get("/auth/v1/get-session")).json()) as { user: { email: string } };
    expect(session.user.email).toBe(email);
    expect(
      (await new Session(file.stack.url).post("/auth/v1/sign-in/email-otp", { email, otp: code })).status,
    ).toBe(400);
  });

  it("signs in with the link, once", async () => {
    const email = address("link");
    const { link } = await combinedEmail(email);
    const first = await fetch(link, { redirect: "manual" });
    expect(first.headers.get("location")).toBe(`${file.stack.url}/home`);
    expect(first.headers.getSetCookie().some((c) => c.startsWith("better-auth.session_token="))).toBe(true);
    const again = await fetch(link, { redirect: "manual" });
    expect(new URL(again.headers.get("location") as string).searchParams.get("error")).toBe("INVALID_TOKEN");
  });

  it("leaves the code request alone: send-verification-otp sends the code-only email", async () => {
    const email = address("otp");
    const after = await lastEmailSeq(stage);
    const res = await new Session(file.stack.url).post("/auth/v1/email-otp/send-verification-otp", {
      email,
      type: "sign-in",
    });
    expect(res.status).toBe(200);
    const message = await waitForEmail(stage, email, { after });
    expect(message.kind).toBe("otp");
    expect(message.text).not.toContain("/magic-link/verify");
  });
});
