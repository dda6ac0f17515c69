/** One layout for every auth email: the same blocks rendered as HTML (escaped) and as plain text. */
import { escapeHtml, httpUrl, plainText, singleLine } from "./escape.ts";

/** Who the email is from, as the reader sees it: APP_NAME, APP_URL and EMAIL_FROM_NAME. */
export interface EmailBrand {
  appName: string;
  appUrl: string;
  /** The sign-off: EMAIL_FROM_NAME, else APP_NAME. */
  senderName: string;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** A piece of an email. Every string is plain text: the renderer escapes it for HTML. */
export type EmailBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "button"; label: string; url: string }
  | { kind: "code"; label: string; code: string }
  | { kind: "note"; text: string };

export interface EmailDraft {
  subject: string;
  heading: string;
  blocks: EmailBlock[];
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export function renderEmail(brand: EmailBrand, draft: EmailDraft): EmailContent {
  const subject = singleLine(draft.subject);
  return { subject, text: renderText(brand, draft), html: renderHtml(brand, subject, draft) };
}

function renderText(brand: EmailBrand, { heading, blocks }: EmailDraft): string {
  const lines = [singleLine(heading), ""];
  for (const block of blocks) {
    if (block.kind === "button") {
      lines.push(`${singleLine(block.label)}:`, httpUrl(block.url) ?? singleLine(block.url));
    } else if (block.kind === "code") {
      lines.push(`${singleLine(block.label)}`, "", `    ${singleLine(block.code)}`);
    } else lines.push(plainText(block.text));
    lines.push("");
  }
  lines.push(`— ${singleLine(brand.senderName)}`);
  const appUrl = httpUrl(brand.appUrl);
  if (appUrl) lines.push(appUrl);
  return `${lines.join("\n")}\n`;
}

function renderHtml(brand: EmailBrand, subject: string, { heading, blocks }: EmailDraft): string {
  const body = blocks.map(renderBlock).join("\n");
  const appUrl = httpUrl(brand.appUrl);
  const footer = appUrl
    ? `${escapeHtml(singleLine(brand.senderName))} · <a href="${escapeHtml(appUrl)}" style="color:#6b7280">${escapeHtml(appUrl)}</a>`
    : escapeHtml(singleLine(brand.senderName));
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px 12px;background:#f4f5f7;font-family:${FONT};color:#111827">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:480px;background:#ffffff;border-radius:8px">
<tr><td style="padding:32px">
<p style="margin:0 0 16px;font-size:14px;color:#6b7280">${escapeHtml(singleLine(brand.appName))}</p>
<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${escapeHtml(singleLine(heading))}</h1>
${body}
</td></tr></table>
<p style="margin:16px 0 0;font-size:12px;color:#6b7280">${footer}</p>
</td></tr></table>
</body>
</html>
`;
}

function renderBlock(block: EmailBlock): string {
  switch (block.kind) {
    case "paragraph":
      return `<p style="margin:0 0 16px;font-size:15px;line-height:1.5">${escapeHtml(plainText(block.text))}</p>`;
    case "note":
      return `<p style="margin:16px 0 0;font-size:13px;line-height:1.5;color:#6b7280">${escapeHtml(plainText(block.text))}</p>`;
    case "code":
      return [
        `<p style="margin:0 0 8px;font-size:15px;line-height:1.5">${escapeHtml(singleLine(block.label))}</p>`,
        `<p style="margin:0 0 16px;font-size:28px;font-weight:600;letter-spacing:6px;font-family:ui-monospace,Menlo,Consolas,monospace">${escapeHtml(singleLine(block.code))}</p>`,
      ].join("\n");
    case "button": {
      const url = httpUrl(block.url);
      const label = escapeHtml(singleLine(block.label));
      // A URL that is not http(s) is shown as text, never made clickable.
      if (!url)
        return `<p style="margin:0 0 16px;font-size:15px">${label}: ${escapeHtml(singleLine(block.url))}</p>`;
      const href = escapeHtml(url);
      return [
        `<p style="margin:0 0 16px"><a href="${href}" style="display:inline-block;padding:12px 20px;background:#111827;color:#ffffff;border-radius:6px;text-decoration:none;font-size:15px;font-weight:600">${label}</a></p>`,
        `<p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:#6b7280;word-break:break-all">Or open this link: <a href="${href}" style="color:#374151">${href}</a></p>`,
      ].join("\n");
    }
  }
}
