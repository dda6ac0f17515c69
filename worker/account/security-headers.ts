/** The headers every Account page carries: a strict CSP (no inline code, no third parties), no framing, no referrer. */
import { originOf } from "../../src/contract/urls.ts";

export function pageHeaders(authUrl: string): Record<string, string> {
  const api = originOf(authUrl);
  const connect = ["'self'", ...(api ? [api] : [])].join(" ");
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // OAuth clients' logos live on their own (https) sites.
    "img-src 'self' data: https:",
    `connect-src ${connect}`,
    `form-action ${connect}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
  return {
    "content-type": "text/html; charset=utf-8",
    // The shell names the current hashed assets: always revalidate it.
    "cache-control": "no-cache",
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    // Consent URLs carry the signed authorization request: never hand them to another site.
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
  };
}

/** Hashed file names change with their content, so a copy may be kept for a year. */
export function assetHeaders(type: string): Record<string, string> {
  return {
    "content-type": type,
    "cache-control": "public, max-age=31536000, immutable",
    "x-content-type-options": "nosniff",
    "cross-origin-resource-policy": "same-origin",
  };
}
