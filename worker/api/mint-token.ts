/** Mints a fast-path token for a signed-in user, with the org context of their session. */
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import type { WorkerEnv } from "../env.ts";
import { fastPathSettings } from "./fast-path-settings.ts";
import { signFastPathToken } from "./fast-path-token.ts";
import { orgRoles } from "./org-role.ts";

export interface TokenSubject {
  user: { id: string; email: string; name: string; role?: string | null; isAnonymous?: boolean | null };
  session: { userId: string; activeOrganizationId?: string | null };
}

export async function mintFastPathToken(
  env: WorkerEnv,
  manifest: RuntimeManifest,
  { user, session }: TokenSubject,
  now = Math.floor(Date.now() / 1000),
): Promise<{ token: string; expiresAt: number }> {
  const settings = await fastPathSettings(env, manifest);
  const orgId = session.activeOrganizationId ?? null;
  const roles = orgId ? ((await orgRoles(env, user.id, orgId)) ?? []) : [];
  const exp = now + settings.lifetimeSeconds;
  const token = await signFastPathToken(
    {
      sub: user.id,
      // A session pointing at an org the user left carries no org at all.
      orgId: roles.length > 0 ? orgId : null,
      role: roles.join(",") || null,
      userRole: user.role ?? "user",
      email: user.email,
      name: user.name,
      // Only guests carry it, so a full user's token is as before.
      ...(user.isAnonymous === true ? { anon: true as const } : {}),
      iat: now,
      exp,
      iss: settings.issuer,
      aud: settings.audience,
    },
    settings.signingKey,
  );
  return { token, expiresAt: exp };
}
