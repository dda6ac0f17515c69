/** The send_email transport, against a recording object with the binding's interface (workers-types SendEmail). */
import { describe, expect, it } from "vitest";
import { createCloudflareSender } from "../../worker/email/cloudflare-sender.ts";
import { EmailDeliveryError, type EmailMessage } from "../../worker/email/types.ts";
import type { WorkerEnv } from "../../worker/env.ts";

/** The binding takes a builder object (what authform sends) or a raw MIME EmailMessage ({ from, to, raw }). */
type Sent = EmailMessageBuilder | { readonly from: string; readonly to: string };

/** A stand-in for `env.EMAIL`: records what the Worker passes, answers like Cloudflare (or fails like it). */
function recordingBinding(fail?: Error): SendEmail & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async send(message: Sent) {
      sent.push(message);
      if (fail) throw fail;
      return { messageId: `m-${sent.length}` };
    },
  };
}

const message: EmailMessage = {
  kind: "otp",
  to: "ada@example.com",
  subject: "Your Acme sign-in code",
  text: "Your code is 123456",
  html: "<p>Your code is <b>123456</b></p>",
  secretPreview: "123456",
};

function env(extra: Partial<WorkerEnv>): WorkerEnv {
  return { APP_NAME: "Acme", AUTHFORM_MODE: "deploy", ...extra } as WorkerEnv;
}

describe("createCloudflareSender", () => {
  it("passes from (with EMAIL_FROM_NAME), to, reply-to, subject, text and html to the binding", async () => {
    const EMAIL = recordingBinding();
    await createCloudflareSender(
      env({
        EMAIL,
        EMAIL_FROM: "noreply@acme.example",
        EMAIL_FROM_NAME: "Acme | Accounts",
        EMAIL_REPLY_TO: "help@acme.example",
      }),
    ).send(message);
    expect(EMAIL.sent).toEqual([
      {
        from: { name: "Acme | Accounts", email: "noreply@acme.example" },
        to: "ada@example.com",
        replyTo: "help@acme.example",
        subject: "Your Acme sign-in code",
        text: "Your code is 123456",
        html: "<p>Your code is <b>123456</b></p>",
      },
    ]);
  });

  it("replies to EMAIL_FROM when EMAIL_REPLY_TO is unset, and sends a bare From without a name", async () => {
    const EMAIL = recordingBinding();
    await createCloudflareSender(env({ EMAIL, EMAIL_FROM: "noreply@acme.example" })).send(message);
    expect(EMAIL.sent[0]).toMatchObject({ from: "noreply@acme.example", replyTo: "noreply@acme.example" });
  });

  it("drops control characters from the display name, so it cannot add a header", async () => {
    const EMAIL = recordingBinding();
    await createCloudflareSender(
      env({ EMAIL, EMAIL_FROM: "noreply@acme.example", EMAIL_FROM_NAME: "Acme\r\nBcc: all@example.com" }),
    ).send(message);
    expect(EMAIL.sent[0]?.from).toEqual({ name: "AcmeBcc: all@example.com", email: "noreply@acme.example" });
  });

  it("fails with EmailDeliveryError, naming what is missing, without a binding or EMAIL_FROM", async () => {
    await expect(
      createCloudflareSender(env({ EMAIL_FROM: "noreply@acme.example" })).send(message),
    ).rejects.toThrow(
      new EmailDeliveryError(
        "Cloudflare email is not configured: the Worker has no EMAIL (send_email) binding.",
      ),
    );
    const EMAIL = recordingBinding();
    await expect(createCloudflareSender(env({ EMAIL })).send(message)).rejects.toThrow(
      new EmailDeliveryError("Cloudflare email is not configured: set EMAIL_FROM."),
    );
    expect(EMAIL.sent).toEqual([]);
  });

  it("turns the binding's refusal into an EmailDeliveryError with its reason", async () => {
    const EMAIL = recordingBinding(new Error("destination address is not a verified address"));
    const send = createCloudflareSender(env({ EMAIL, EMAIL_FROM: "noreply@acme.example" })).send(message);
    await expect(send).rejects.toBeInstanceOf(EmailDeliveryError);
    await expect(send).rejects.toThrow(
      "Cloudflare Email Sending refused the email: destination address is not a verified address",
    );
  });
});
