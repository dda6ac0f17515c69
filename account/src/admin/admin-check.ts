/**
 * Whether the signed-in user is one of the config's admins. Better Auth's has-permission answers
 * 200 either way (false for others), and the Worker reconciles the role from the config first, so a
 * newly named admin is one here at once. The server refuses admin data to anyone else regardless.
 */
import { post } from "../api.ts";

export async function isAdmin(): Promise<boolean> {
  const answer = await post<{ success?: boolean }>("/admin/has-permission", {
    permissions: { user: ["list"] },
  });
  return answer?.success === true;
}
