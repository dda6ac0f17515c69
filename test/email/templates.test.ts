/** The auth email templates: branded, HTML and text, and every user-supplied value escaped. */
import { describe, expect, it } from "vitest";
import {
  emailBrand,
  invitationEmail,
  magicLinkEmail,
  otpEmail,
  passwordResetEmail,
  verificationEmail,
} from "../../worker/email/templates/index.ts";

const brand = emailBrand({
  APP_NAME: "Acme",
  APP_URL: "https://app.acme.example",
  EMAIL_FROM_NAME: "Acme | Accounts",
});

const HOSTILE_NAME = `<script>alert("x")</script><img src=x onerror='steal()'>`;
const HOSTILE_EMAIL = `"><svg onload=alert(1)>@evil.example`;

/** What must never reach the HTML: a tag, or a quote that ends an attribute, that a mail client would act on. */
function expectInert(html: string) {
  expect(html).not.toMatch(/<(script|img|svg|b>)/i);
  expect(html).not.toMatch(/" on[a-z]+=/i);
}

describe("branding", () => {
  it("applies APP_NAME, APP_URL and EMAIL_FROM_NAME to subject, HTML and text", () => {
    const email = otpEmail(brand, { otp: "123456", purpose: "sign-in", expiresInSeconds: 300 });
    expect(email.subject).toBe("Your Acme sign-in code");
    for (const part of [email.html, email.text]) {
      expect(part).toContain("123456");
      expect(part).toContain("Acme | Accounts");
      expect(part).toContain("https://app.acme.example/");
      expect(part).toContain("5 minutes");
    }
    expect(email.html).toMatch(/^<!doctype html>/);
    expect(email.text).not.toMatch(/<[a-z]/i);
  });

  it("signs off with APP_NAME when there is no EMAIL_FROM_NAME", () => {
    const plain = emailBrand({ APP_NAME: "Acme", APP_URL: "https://app.acme.example" });
    expect(plain.senderName).toBe("Acme");
    expect(verificationEmail(plain, { name: "Ada", url: "https://api.acme.example/v" }).text).toContain(
      "— Acme",
    );
  });

  it("words each OTP purpose, and every subject names the code", () => {
    const purposes = ["sign-in", "email-verification", "forget-password", "change-email"] as const;
    const subjects = purposes.map(
      (purpose) => otpEmail(brand, { otp: "1", purpose, expiresInSeconds: 60 }).subject,
    );
    expect(new Set(subjects).size).toBe(4);
    for (const subject of subjects) expect(subject).toMatch(/code/);
  });
});

describe("escaping hostile input", () => {
  it("escapes a hostile APP_NAME everywhere in the HTML and keeps it readable in the text", () => {
    const hostile = emailBrand({
      APP_NAME: HOSTILE_NAME,
      APP_URL: "https://app.example",
      EMAIL_FROM_NAME: HOSTILE_NAME,
    });
    const email = magicLinkEmail(hostile, {
      url: "https://api.example/verify?token=a&b=<c>",
      expiresInSeconds: 300,
    });
    expectInert(email.html);
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(email.html).toContain('href="https://api.example/verify?token=a&amp;b=%3Cc%3E"');
    expect(email.text).toContain(HOSTILE_NAME);
  });

  it("escapes a hostile user name in the verification and reset emails", () => {
    for (const email of [
      verificationEmail(brand, { name: HOSTILE_NAME, url: "https://api.acme.example/verify-email?token=t" }),
      passwordResetEmail(brand, { name: HOSTILE_NAME, url: "https://api.acme.example/reset-password/t" }),
    ]) {
      expectInert(email.html);
      expect(email.html).toContain("Hi &lt;script&gt;");
      expect(email.text).toContain(`Hi ${HOSTILE_NAME},`);
    }
  });

  it("escapes every field of an invitation and keeps the subject on one line", () => {
    const email = invitationEmail(brand, {
      inviterName: `${HOSTILE_NAME}\r\nBcc: everyone@example.com`,
      inviterEmail: HOSTILE_EMAIL,
      organizationName: `<b>Org</b>`,
      role: `admin" onmouseover="x`,
      url: "https://app.acme.example/accept?id=1",
    });
    expectInert(email.html);
    expect(email.html).not.toContain("<b>Org</b>");
    expect(email.html).toContain("&lt;b&gt;Org&lt;/b&gt;");
    expect(email.html).toContain("admin&quot; onmouseover=&quot;x");
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain("Bcc: everyone@example.com invited you to <b>Org</b> on Acme");
  });

  it("never makes a non-http link clickable", () => {
    const email = verificationEmail(brand, { name: "Ada", url: "javascript:alert(1)" });
    expect(email.html).not.toMatch(/href="javascript:/i);
    expect(email.html).toContain("javascript:alert(1)");
  });

  it("drops control characters (terminal escapes) from the text part", () => {
    const email = verificationEmail(brand, { name: "Ada\u001b[31mRED", url: "https://api.acme.example/v" });
    expect(email.text).not.toContain("\u001b");
  });
});

describe("the combined sign-in email", () => {
  it("carries the link and the code when both flows are on", () => {
    const url = "https://api.acme.example/auth/v1/magic-link/verify?token=abc&callbackURL=%2F";
    const email = magicLinkEmail(brand, { url, otp: "654321", expiresInSeconds: 300 });
    expect(email.subject).toBe("Sign in to Acme: your link and code");
    expect(email.text).toContain(url);
    expect(email.text).toContain("654321");
    expect(email.html).toContain("654321");
    expect(email.html).toContain(url.replace(/&/g, "&amp;"));
  });

  it("is link-only otherwise", () => {
    const email = magicLinkEmail(brand, { url: "https://api.acme.example/x", expiresInSeconds: 600 });
    expect(email.subject).toBe("Sign in to Acme");
    expect(email.text).not.toMatch(/\b\d{6}\b/);
    expect(email.text).toContain("10 minutes");
  });
});
