/**
 * A fetched client ID metadata document turned into the registration Better Auth stores, or the
 * reason it is refused. Its `client_id` must be the URL it was fetched from, character for
 * character; it names its redirect URIs (authorize checks `redirect_uri` against them); and the
 * client is public: no secret, `token_endpoint_auth_method` none. Only the fields a consent page
 * and an authorization code flow need are taken; anything else in the document is ignored.
 */
import type { OAuthClient } from "@better-auth/oauth-provider";
import { isUntypedLoopbackClient } from "../loopback-registration.ts";

const STRING_FIELDS = ["client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri", "scope"] as const;
const GRANTS = new Set(["authorization_code", "refresh_token"]);

export function validateDocument(document: unknown, url: string): OAuthClient | string {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    return "the document is not a JSON object";
  }
  const doc = document as Record<string, unknown>;
  if (doc.client_id !== url) return "the document's client_id is not the URL it was fetched from";
  if ("client_secret" in doc || "client_secret_expires_at" in doc) {
    return "a client metadata document must not carry a client secret";
  }
  const method = doc.token_endpoint_auth_method ?? "none";
  if (method !== "none") return "only public clients (token_endpoint_auth_method none) are supported";
  const redirects = doc.redirect_uris;
  if (!isStrings(redirects) || redirects.length === 0) return "the document must list its redirect_uris";
  const grants = doc.grant_types ?? ["authorization_code"];
  if (!isStrings(grants) || !grants.every((g) => GRANTS.has(g))) {
    return "grant_types may only be authorization_code and refresh_token";
  }
  const responses = doc.response_types ?? ["code"];
  if (!isStrings(responses) || !responses.every((r) => r === "code"))
    return "response_types may only be code";

  const metadata: OAuthClient = {
    client_id: url,
    redirect_uris: redirects,
    grant_types: grants,
    response_types: responses,
    token_endpoint_auth_method: "none",
  };
  for (const field of STRING_FIELDS) {
    const value = doc[field];
    if (typeof value === "string") metadata[field] = value;
  }
  if (isStrings(doc.contacts)) metadata.contacts = doc.contacts;
  if (doc.application_type === "web" || doc.application_type === "native") {
    metadata.application_type = doc.application_type;
  } else if (isUntypedLoopbackClient(doc)) {
    // MCP clients list only http://127.0.0.1 callbacks and say no type: a native app (RFC 8252).
    metadata.application_type = "native";
  }
  return metadata;
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}
