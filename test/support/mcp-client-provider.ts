/**
 * The MCP SDK's client storage, in memory: what a desktop MCP client keeps on disk (its registration,
 * tokens, PKCE verifier) plus where the SDK sent the browser. With `clientMetadataUrl` the SDK uses
 * that client ID metadata document instead of registering.
 */
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";

export class MemoryClientProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  stored?: OAuthTokens;
  verifier?: string;
  authorizationUrl?: URL;
  readonly clientMetadataUrl?: string;
  private readonly clientName: string;

  constructor(
    readonly redirectUrl: string,
    options: { clientName?: string; clientMetadataUrl?: string; state?: string } = {},
  ) {
    this.clientName = options.clientName ?? "Test MCP client";
    if (options.clientMetadataUrl !== undefined) this.clientMetadataUrl = options.clientMetadataUrl;
    if (options.state !== undefined) {
      const state = options.state;
      this.state = () => state;
    }
  }

  /** Set only when a fixed `state` was given; otherwise the SDK makes its own. */
  state?: () => string;

  get clientMetadata(): OAuthClientMetadata {
    // No application_type: the SDK and real MCP clients do not send one.
    return {
      client_name: this.clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: OAuthTokens) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error("no code verifier saved");
    return this.verifier;
  }
}
