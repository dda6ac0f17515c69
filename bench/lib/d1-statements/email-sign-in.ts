/**
 * Passwordless sign-in by email: a one-time code (emailOtp) and a link (magicLink). The code and the
 * link are the real ones, read from the local stack's outbox as the stack tests read them.
 *
 * A fresh address, not the password user's: the first proof of an unverified address ends that
 * account's password and sessions (revoke-unproven-credentials.ts), which the later areas still use.
 * The code signs the new address up; the link then signs in the same, now verified, user.
 */
import { randomBytes } from "node:crypto";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../../../test/support/outbox.ts";
import { timed } from "../http.ts";
import { expectThat, jsonOf, type RouteCounter } from "./route-counter.ts";
import { sessionCookie } from "./signed-in.ts";

export async function countEmailSignIns(
  counter: RouteCounter,
  stage: string,
  plugins: string[],
): Promise<void> {
  const email = `d1-passwordless-${randomBytes(4).toString("hex")}@example.com`;
  let userId: string | undefined;
  if (plugins.includes("emailOtp")) {
    const after = await lastEmailSeq(stage);
    const sent = await counter.post(
      "POST /auth/v1/email-otp/send-verification-otp (sign-in)",
      "/auth/v1/email-otp/send-verification-otp",
      { email, type: "sign-in" },
    );
    expectThat(
      "send-verification-otp",
      jsonOf<{ success?: boolean }>(sent).success === true,
      "success",
      sent,
    );
    const otp = codeIn(await waitForEmail(stage, email, { after }));
    const signIn = await counter.post(
      "POST /auth/v1/sign-in/email-otp (new address)",
      "/auth/v1/sign-in/email-otp",
      { email, otp },
    );
    const user = jsonOf<{ user: { id: string; email: string } }>(signIn).user;
    expectThat("sign-in/email-otp", user.email === email, `a user with ${email}`, signIn);
    sessionCookie("sign-in/email-otp", signIn);
    userId = user.id;
  }
  if (plugins.includes("magicLink")) {
    const after = await lastEmailSeq(stage);
    const sent = await counter.post("POST /auth/v1/sign-in/magic-link", "/auth/v1/sign-in/magic-link", {
      email,
      callbackURL: "/",
    });
    expectThat("sign-in/magic-link", jsonOf<{ status?: boolean }>(sent).status === true, "status true", sent);
    const link = new URL(linkIn(await waitForEmail(stage, email, { after }), "/magic-link/verify"));
    // A browser following the link: a redirect to the callback, with the session cookie.
    const verified = await counter.get(
      "GET /auth/v1/magic-link/verify",
      `${link.pathname}${link.search}`,
      {},
      302,
    );
    const cookie = sessionCookie("magic-link/verify", verified);
    if (userId) {
      const session = await timed(counter.base, "/auth/v1/get-session", { headers: { cookie } });
      expectThat(
        "magic-link/verify",
        jsonOf<{ user: { id: string } }>(session).user.id === userId,
        "the code's user",
        session,
      );
    }
  }
}
