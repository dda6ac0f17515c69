/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, MCP 2025-11-25): a
 * `client_id` that is an https URL names a JSON document describing the client. Plugged into
 * @better-auth/oauth-provider's own client discovery seam, so authorize, token, consent and the
 * public-client lookup all see the client as if it had registered; Better Auth stores it
 * (registerClientMetadataDocument) and checks redirect_uri against it. The fetch is ours, not
 * @better-auth/cimd's: that package's transport needs Node's DNS and sockets, which Workers lack.
 */
import type { ClientDiscovery, OAuthOptions, Scope } from "@better-auth/oauth-provider";
import { registerClientMetadataDocument } from "@better-auth/oauth-provider/internal";
import { APIError } from "better-auth/api";
import { cimdFetchUrl } from "../../../../../src/contract/cimd-loopback.ts";
import { DocumentCache } from "./document-cache.ts";
import { documentUrl, looksLikeDocumentUrl } from "./document-url.ts";
import { DocumentFetchError, fetchDocument } from "./fetch-document.ts";
import { validateDocument } from "./validate-document.ts";

/** Stored as the client's provenance (oauthClient.clientDiscoveryId); changing it orphans stored clients. */
export const CIMD_DISCOVERY_ID = "cimd";

/** Per isolate, shared by every request it serves. */
const cache = new DocumentCache();

export interface CimdOptions {
  /** Local mode: loopback and http documents are allowed. */
  local: boolean;
  /** Local mode and tests: https origins whose documents are fetched from a loopback stand-in. */
  loopback?: Record<string, string>;
}

export function cimdDiscovery({ local, loopback }: CimdOptions): ClientDiscovery {
  return {
    id: CIMD_DISCOVERY_ID,
    matches: looksLikeDocumentUrl,
    discoveryMetadata: { client_id_metadata_document_supported: true },
    resolve: async (ctx, clientId, existing) => {
      if (existing && cache.isFresh(clientId)) return existing;
      const url = documentUrl(clientId, local);
      if (typeof url === "string") throw refusal(url);
      let fetched: Awaited<ReturnType<typeof fetchDocument>>;
      try {
        fetched = await fetchDocument(cimdFetchUrl(url, local ? loopback : undefined));
      } catch (err) {
        cache.forget(clientId);
        if (err instanceof DocumentFetchError) throw refusal(`the client metadata document ${err.message}`);
        throw err;
      }
      const metadata = validateDocument(fetched.body, clientId);
      if (typeof metadata === "string") throw refusal(metadata);
      const plugin = ctx.context.getPlugin("oauth-provider") as { options: OAuthOptions<Scope[]> } | null;
      if (!plugin) throw new Error("CIMD needs the oauth-provider plugin");
      const { client } = await registerClientMetadataDocument(ctx, plugin.options, {
        metadata,
        clientId,
        clientDiscoveryId: CIMD_DISCOVERY_ID,
        ...(existing ? { existingClient: existing } : {}),
      });
      cache.remember(clientId, fetched.cacheControl);
      return client;
    },
  };
}

/** The client cannot be used: 400 invalid_client at authorize, 401 at token (token-errors.ts). */
function refusal(reason: string): APIError {
  return new APIError("BAD_REQUEST", { error: "invalid_client", error_description: reason });
}
