/** Turns what the seed's frontend sends (the raw PublicKeyCredential JSON) into the body Better Auth's verify endpoints take. */
import * as z from "zod";

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, "expected base64url");

const credentialShape = {
  id: base64url,
  rawId: base64url,
  type: z.literal("public-key"),
};

/** RegistrationResponseJSON: what `JSON.stringify(await navigator.credentials.create(...))` gives. */
export const registrationCredential = z.looseObject({
  ...credentialShape,
  response: z.looseObject({ clientDataJSON: base64url, attestationObject: base64url }),
});

/** AuthenticationResponseJSON: what `JSON.stringify(await navigator.credentials.get(...))` gives. */
export const authenticationCredential = z.looseObject({
  ...credentialShape,
  response: z.looseObject({ clientDataJSON: base64url, authenticatorData: base64url, signature: base64url }),
});

/**
 * The credential in a verify request, whichever shape it came in: the seed's raw credential, or
 * Better Auth's own `{ response: credential, name? }`. Undefined when neither parses.
 */
export function credentialFrom(body: unknown, schema: z.ZodType<object>): object | undefined {
  if (!isObject(body)) return undefined;
  // The seed's shape has the AuthenticatorResponse (clientDataJSON, ...) directly under `response`.
  const raw = isObject(body.response) && "clientDataJSON" in body.response ? body : body.response;
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
