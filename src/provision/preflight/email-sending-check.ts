/**
 * With the send_email binding: is EMAIL_FROM's domain onboarded to Cloudflare Email Sending? Read
 * with "List sending subdomains" (`GET /zones/{zone}/email/sending/subdomains`) on the domain's zone.
 * A domain not onboarded does not stop a deploy, but every email fails until it is: a warning.
 */
import { registrableDomain } from "../../plan/domains.ts";
import { sesIdentityFor } from "../ses-setup.ts";
import type { CloudflareAnswer, PreflightCheck } from "./preflight-check.ts";

interface SendingSubdomain {
  name?: string;
  /** Newer answers: Email Sending's flag, with `enabled` meaning Email Routing on the same row. */
  email_sending_enabled?: boolean;
  /** Older answers: Email Sending's flag. */
  enabled?: boolean;
}

export interface EmailSendingState {
  /** The domain's state, when it could be read. */
  check: PreflightCheck;
  /** The read was refused for want of a permission (403): the token may lack Email Sending. */
  refused?: string;
}

export async function emailSendingState(
  get: (path: string) => Promise<CloudflareAnswer>,
  emailFrom: string,
  said: (answer: CloudflareAnswer) => string,
): Promise<EmailSendingState> {
  const domain = sesIdentityFor(emailFrom);
  const label = `Email Sending for ${domain}`;
  const zone = registrableDomain(domain) ?? domain;
  const found = await get(`/zones?name=${encodeURIComponent(zone)}`);
  const id = (found.body.result as { id?: string }[] | undefined)?.[0]?.id;
  if (found.status !== 200) {
    return {
      check: {
        ok: true,
        warning: true,
        label,
        detail: `not checked: the token may not read the zone ${zone} (${said(found)}; Zone · Zone · Read)`,
      },
    };
  }
  if (!id) {
    return {
      check: {
        ok: true,
        warning: true,
        label,
        detail: `${zone} is not a zone on this account (or outside the token's Zone Resources): Cloudflare sends only from domains onboarded to Email Sending, so every email will fail`,
      },
    };
  }
  const answer = await get(`/zones/${id}/email/sending/subdomains`);
  if (answer.status !== 200) {
    return {
      check: { ok: true, warning: true, label, detail: `not checked (${said(answer)})` },
      ...(answer.status === 403 ? { refused: said(answer) } : {}),
    };
  }
  const rows = (answer.body.result as SendingSubdomain[] | undefined) ?? [];
  const row = rows.find(
    (r) => r.name === domain || (r.name?.startsWith("*.") && domain.endsWith(r.name.slice(1))),
  );
  if (row && (row.email_sending_enabled ?? row.enabled) === true) {
    return { check: { ok: true, label: `${label}: onboarded and enabled` } };
  }
  return {
    check: {
      ok: true,
      warning: true,
      label,
      detail: `${domain} is ${row ? "onboarded but not enabled" : "not onboarded"} on the zone ${zone}: the deploy succeeds, but every email from ${emailFrom} fails until it is (dashboard → Email Sending → Onboard Domain)`,
    },
  };
}
