/** The resource server options, checked once when a server is built: a typo fails at startup, not per request. */
import type { VerifyAccessTokenOptions } from "./verify-access-token.ts";

export function checkResourceServerOptions(options: VerifyAccessTokenOptions, caller: string): void {
  for (const name of ["issuer", "resource"] as const) {
    const value = options[name];
    if (typeof value !== "string" || !URL.canParse(value)) {
      throw new TypeError(
        `${caller} requires options.${name} to be an absolute URL, got ${JSON.stringify(value)}`,
      );
    }
  }
  if (options.jwksUrl !== undefined && !URL.canParse(options.jwksUrl)) {
    throw new TypeError(
      `${caller}: options.jwksUrl must be an absolute URL, got ${JSON.stringify(options.jwksUrl)}`,
    );
  }
}
