/** The built Account SPA as the generated entry embeds it: one HTML shell and content-hashed assets. */

export interface AccountAsset {
  /** Content-Type to serve it with. */
  type: string;
  body: string;
}

export interface AccountAssets {
  /** The page shell for every route; `%AUTHFORM_STACK%` and `%AUTHFORM_ICONS%` are filled in per stack at serve time. */
  html: string;
  /** By request path, e.g. `/assets/app-1a2b3c4d5e.js`. */
  files: Record<string, AccountAsset>;
}
