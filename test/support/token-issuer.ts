/**
 * A stand-in authorization server on loopback for the resource server kit's unit tests: it serves
 * RFC 8414 metadata and a JWKS, signs access tokens with real keys, and can rotate its key.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface TokenIssuer {
  /** The issuer identifier, with a path as authform's has (`<origin>/auth/v1`). */
  issuer: string;
  jwksUrl: string;
  /** A token signed with the current key; `claims` override the defaults (iss, sub, exp in 1 h). */
  sign(claims: JWTPayload & { scope?: string }): Promise<string>;
  /** A new current key, published beside the old one (as a rotating issuer does). */
  rotate(): Promise<void>;
  /** Requests per path. */
  hits(path: string): number;
  close(): Promise<void>;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const keys = [await newKey("key-1")];
  const counts = new Map<string, number>();
  let origin = "";
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === "/.well-known/oauth-authorization-server/auth/v1") {
      json({ issuer: `${origin}/auth/v1`, jwks_uri: `${origin}/auth/v1/jwks` });
    } else if (path === "/auth/v1/jwks") {
      json({ keys: keys.map((key) => key.jwk) });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const current = () => keys[keys.length - 1] as SigningKey;
  return {
    issuer: `${origin}/auth/v1`,
    jwksUrl: `${origin}/auth/v1/jwks`,
    async sign(claims) {
      const key = current();
      return new SignJWT({ iss: `${origin}/auth/v1`, sub: "user-1", ...claims })
        .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
        .setIssuedAt()
        .setExpirationTime(claims.exp ?? "1h")
        .sign(key.privateKey);
    },
    async rotate() {
      keys.push(await newKey(`key-${keys.length + 1}`));
    },
    hits: (path) => counts.get(path) ?? 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
