/** WebAuthn ceremonies against Better Auth's passkey endpoints, with failures turned into plain words. */
import { get, post } from "./api.ts";

export function passkeysSupported(): boolean {
  return (
    typeof PublicKeyCredential !== "undefined" &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function"
  );
}

export async function registerPasskey(name: string): Promise<void> {
  const query = new URLSearchParams(name ? { name } : {});
  const options = await get<PublicKeyCredentialCreationOptionsJSON>(
    `/passkey/generate-register-options?${query}`,
  );
  const credential = await ceremony(() =>
    navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) }),
  );
  await post("/passkey/verify-registration", { response: credential.toJSON(), ...(name ? { name } : {}) });
}

/** Signs in with a passkey; returns Better Auth's answer (it may ask the browser to go on, in OAuth flows). */
export async function signInWithPasskey(oauthQuery: string | null): Promise<unknown> {
  const options = await get<PublicKeyCredentialRequestOptionsJSON>("/passkey/generate-authenticate-options");
  const credential = await ceremony(() =>
    navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) }),
  );
  return post("/passkey/verify-authentication", {
    response: credential.toJSON(),
    ...(oauthQuery ? { oauth_query: oauthQuery } : {}),
  });
}

async function ceremony(run: () => Promise<Credential | null>): Promise<PublicKeyCredential> {
  let credential: Credential | null;
  try {
    credential = await run();
  } catch (err) {
    throw new Error(explain(err));
  }
  if (!(credential instanceof PublicKeyCredential)) throw new Error("No passkey was returned. Try again.");
  return credential;
}

function explain(err: unknown): string {
  const name = err instanceof DOMException ? err.name : "";
  if (name === "NotAllowedError") {
    return "The passkey was not used: the prompt was cancelled or timed out, or your device could not verify it is you.";
  }
  if (name === "InvalidStateError") return "This device already holds a passkey for this account.";
  if (name === "SecurityError") return "Passkeys are not allowed on this address.";
  if (name === "NotSupportedError") return "This browser or device cannot use passkeys.";
  return err instanceof Error ? `The passkey did not work: ${err.message}` : "The passkey did not work.";
}
