/** The one authentication context every /api/v1 handler reads, however the caller authenticated. */
import type { WorkerEnv } from "../env.ts";

export type AuthMethod = "jwt" | "session" | "api-key";

export interface ApiAuth {
  userId: string;
  /** The organization the request acts in, if any. */
  orgId: string | null;
  /** The caller's roles in that organization (empty without one). */
  roles: string[];
  authMethod: AuthMethod;
  email: string | null;
  name: string | null;
  /**
   * A guest (the anonymous plugin): no proven address (its email is a placeholder), and it may be
   * deleted when it signs in to an account. Gate what only real users may do on this.
   */
  isAnonymous: boolean;
}

/** The API key a request authenticated with: which one, and the permissions it was minted with. */
export interface ApiKeyGrant {
  id: string;
  /** Better Auth's `permissions` (server-set only), e.g. `{ admin: ["read"] }`; null when none. */
  permissions: Record<string, string[]> | null;
}

/** `apiKey` is null unless the caller authenticated with an API key. */
export type ApiEnv = { Bindings: WorkerEnv; Variables: { auth: ApiAuth; apiKey: ApiKeyGrant | null } };
