/**
 * The code in the combined email (emailOtp and magicLink both on): issued by the emailOtp plugin's own
 * server-only createVerificationOTP, so it is stored, limited and checked exactly like any sign-in code.
 */
import type { GenericEndpointContext } from "better-auth";

type CreateVerificationOtp = (input: {
  body: { email: string; type: "sign-in" };
  context: GenericEndpointContext["context"];
}) => Promise<unknown>;

export async function issueSignInCode(
  ctx: GenericEndpointContext | undefined,
  email: string,
): Promise<string> {
  const plugin = ctx?.context.getPlugin("email-otp") as
    | { endpoints?: { createVerificationOTP?: CreateVerificationOtp } }
    | null
    | undefined;
  const create = plugin?.endpoints?.createVerificationOTP;
  if (!ctx || !create)
    throw new Error("The combined sign-in email needs the emailOtp plugin, which is not loaded.");
  const otp = await create({ body: { email, type: "sign-in" }, context: ctx.context });
  if (typeof otp !== "string") throw new Error("emailOtp issued no code for the combined sign-in email.");
  return otp;
}
