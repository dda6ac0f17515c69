/** AWS Signature Version 4 for request headers, on Web Crypto only (runs on workerd, in browsers and in Node). */

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (STS): sent as X-Amz-Security-Token. */
  sessionToken?: string;
}

export interface SigV4Request {
  method: string;
  /** Absolute URL; its path and query are canonicalised as they are. */
  url: string;
  /**
   * Headers to sign and send. Pairs keep repeated names in order (AWS joins their values with
   * commas); a `Host` header, when given, wins over the URL's host.
   */
  headers?: Iterable<readonly [string, string]> | Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

export interface SigV4Options {
  credentials: SigV4Credentials;
  region: string;
  /** The signing name, e.g. `ses` for SES (whose host is `email.<region>.amazonaws.com`). */
  service: string;
  /** The signing time. @default now */
  datetime?: Date | string;
  /**
   * Add X-Amz-Security-Token after signing instead of signing it (the few services that want
   * the token outside the signature). @default false
   */
  appendSessionToken?: boolean;
}

export interface SignedRequest {
  /** What to send: the request's headers plus X-Amz-Date, X-Amz-Security-Token and Authorization (Host is left to fetch). */
  headers: Headers;
  authorization: string;
  signature: string;
  signedHeaders: string;
  canonicalRequest: string;
  stringToSign: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const encoder = new TextEncoder();

export async function signRequest(request: SigV4Request, options: SigV4Options): Promise<SignedRequest> {
  const datetime = amzDate(options.datetime ?? new Date());
  const date = datetime.slice(0, 8);
  const url = new URL(request.url);
  const { credentials } = options;

  // Our own X-Amz-Date (and token) replace any the caller passed.
  const pairs = headerPairs(request.headers).filter(
    ([name]) => !["x-amz-date", "x-amz-security-token"].includes(name.toLowerCase()),
  );
  if (!pairs.some(([name]) => name.toLowerCase() === "host")) pairs.unshift(["host", url.host]);
  pairs.push(["X-Amz-Date", datetime]);
  const signToken = credentials.sessionToken !== undefined && !options.appendSessionToken;
  if (signToken) pairs.push(["X-Amz-Security-Token", credentials.sessionToken as string]);

  const canonical = canonicalHeaders(pairs);
  const signedHeaders = [...canonical.keys()].join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(url.pathname, options.service),
    canonicalQuery(url.search),
    `${[...canonical].map(([name, value]) => `${name}:${value}`).join("\n")}\n`,
    signedHeaders,
    hex(await sha256(request.body ?? "")),
  ].join("\n");

  const scope = `${date}/${options.region}/${options.service}/aws4_request`;
  const stringToSign = [ALGORITHM, datetime, scope, hex(await sha256(canonicalRequest))].join("\n");
  const key = await signingKey(credentials.secretAccessKey, date, options.region, options.service);
  const signature = hex(await hmac(key, stringToSign));
  const authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

  const headers = new Headers();
  for (const [name, value] of pairs) if (name.toLowerCase() !== "host") headers.append(name, value);
  if (credentials.sessionToken !== undefined && !signToken) {
    headers.set("X-Amz-Security-Token", credentials.sessionToken);
  }
  headers.set("Authorization", authorization);
  return { headers, authorization, signature, signedHeaders, canonicalRequest, stringToSign };
}

/** `YYYYMMDDTHHMMSSZ`, the form SigV4 signs. */
export function amzDate(datetime: Date | string): string {
  if (typeof datetime === "string") {
    if (!/^\d{8}T\d{6}Z$/.test(datetime))
      throw new TypeError(`datetime must be YYYYMMDDTHHMMSSZ, got "${datetime}"`);
    return datetime;
  }
  return datetime.toISOString().replace(/[-:]|\.\d{3}/g, "");
}

function headerPairs(headers: SigV4Request["headers"]): [string, string][] {
  if (headers === undefined) return [];
  if (Symbol.iterator in headers) return [...headers].map(([name, value]) => [name, value]);
  return Object.entries(headers);
}

/** Lower-case names, sorted; repeated names joined with commas in order; values trimmed, inner runs of spaces collapsed. */
function canonicalHeaders(pairs: [string, string][]): Map<string, string> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const key = name.toLowerCase().trim();
    const values = grouped.get(key) ?? [];
    values.push(value.trim().replace(/\s+/g, " "));
    grouped.set(key, values);
  }
  return new Map([...grouped.keys()].sort().map((name) => [name, (grouped.get(name) as string[]).join(",")]));
}

/**
 * Every service but S3 signs the normalised path (no `.`/`..` segments, no empty segments) with
 * each segment encoded once more on top of the URL's own encoding.
 */
function canonicalPath(pathname: string, service: string): string {
  // S3 signs the path as is, encoded once.
  if (service === "s3") return pathname.split("/").map(decodeSegment).map(encodeRfc3986).join("/") || "/";
  const segments: string[] = [];
  for (const segment of pathname.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && pathname.endsWith("/") ? "/" : "";
  return `/${segments.map(encodeRfc3986).join("/")}${trailing}`;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Pairs encoded (RFC 3986), sorted by name then value, empty names dropped. */
function canonicalQuery(search: string): string {
  return [...new URLSearchParams(search)]
    .filter(([name]) => name !== "")
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([n1, v1], [n2, v2]) => (n1 < n2 ? -1 : n1 > n2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

/** Percent-encodes everything but the unreserved set `A-Z a-z 0-9 - _ . ~`. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

async function signingKey(secret: string, date: string, region: string, service: string) {
  const kDate = await hmac(encoder.encode(`AWS4${secret}`), date);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

async function hmac(key: ArrayBuffer | Uint8Array<ArrayBuffer>, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(data));
}

function sha256(data: string | Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : data);
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
