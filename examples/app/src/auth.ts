/**
 * The app's one authform client: Better Auth's client with exactly the plugins quickback.config.ts
 * enables (calling one it does not is a type error), plus authform's /api/v1.
 */
import { createAuthformClient } from "authform/client";
import config from "../quickback.config.ts";

/** The stack's API origin; `bun alchemy.run.ts` serves it on http://localhost:1337 locally. */
export const API_URL: string = import.meta.env.VITE_AUTHFORM_URL ?? "http://localhost:1337";

export const auth = createAuthformClient({ baseURL: API_URL, config });

/**
 * A token for the app's own backend: the `jwt` plugin's, signed with the stack's private key, which
 * the backend checks against /auth/v1/jwks without sharing any secret with the stack. (`auth.token()`
 * is authform's fast-path token, for the stack's own /api/v1.)
 */
export async function backendToken(): Promise<string> {
  const { data, error } = await auth.$fetch<{ token: string }>("/token", { method: "GET" });
  if (error || !data) throw new Error(`no token: ${error?.message ?? "not signed in"}`);
  return data.token;
}
