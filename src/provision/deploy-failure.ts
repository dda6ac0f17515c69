/**
 * What went wrong in a deploy, read from the error's structure (HTTP status, Cloudflare's error
 * codes, AWS's error names, the network error's code), never from a stack: the cause and the fix
 * a person reads.
 */
import { CloudflareApiError } from "alchemy/cloudflare";
import { API_TOKENS_PAGE, type DeployStep } from "./deploy-steps.ts";

export type FailureKind =
  | "network"
  | "dns"
  | "token-invalid"
  | "permission"
  | "rate-limited"
  | "server-error"
  | "name-taken"
  | "account-limit"
  | "ses-throttled"
  | "ses-denied"
  | "ses-credentials"
  | "unknown";

export interface FailureCause {
  kind: FailureKind;
  /** One sentence: what happened. */
  cause: string;
  /** What to do about it. */
  fix: string;
}

/** Cloudflare's error codes for "this name is already used on the account" (D1, KV, Workers custom domain, DNS). */
const NAME_TAKEN_CODES = new Set([7502, 10014, 100116, 81053, 81058]);
/** Account limits, by Cloudflare's documented codes: D1 databases, Workers scripts. */
const LIMIT_CODES: Record<number, { what: string; docs: string }> = {
  7406: { what: "D1 databases", docs: "https://developers.cloudflare.com/d1/platform/limits/" },
  10037: { what: "Workers", docs: "https://developers.cloudflare.com/workers/platform/limits/" },
};
/** KV answers its namespace limit with 10026, a code it also uses for malformed requests: only on a namespace create is it the limit. */
const KV_LIMIT_CODE = 10026;
const KV_LIMITS = "https://developers.cloudflare.com/kv/platform/limits/";
/** Codes Cloudflare gives a token it does not accept at all (invalid, expired, malformed header). */
const BAD_TOKEN_CODES = new Set([6003, 6111, 9106, 9109, 10001]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "DNSException"]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "ConnectionRefused",
  "ConnectionClosed",
  "FailedToOpenSocket",
]);
const AWS_THROTTLED = new Set(["TooManyRequestsException", "ThrottlingException", "LimitExceededException"]);
const AWS_BAD_CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "MissingAuthenticationTokenException",
  "ExpiredTokenException",
]);

/** The error and every `cause` under it: Alchemy wraps a failed fetch in "Failed to …: Failed to fetch". */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && out.length < 8; e = (e as { cause?: unknown }).cause) {
    out.push(e);
  }
  return out;
}

function field(e: unknown, key: string): unknown {
  return typeof e === "object" && e !== null ? (e as Record<string, unknown>)[key] : undefined;
}

/** The errors Cloudflare's envelope carried: `[{ code, message }]`. */
function cloudflareErrors(e: CloudflareApiError): { code?: number; message?: string }[] {
  return Array.isArray(e.errorData) ? (e.errorData as { code?: number; message?: string }[]) : [];
}

function said(e: CloudflareApiError): string {
  const errors = cloudflareErrors(e);
  if (errors.length === 0) return `HTTP ${e.status}`;
  return errors.map((x) => `[${x.code}] ${x.message}`).join("; ");
}

/**
 * Alchemy's CloudflareApi throws these after its own retries (10 attempts, backoff from 1 s to
 * 10 s) and does not export them: their class name is all there is to go on.
 */
function alchemyRetryError(e: unknown): "InternalError" | "TooManyRequestsError" | undefined {
  if (!(e instanceof Error)) return undefined;
  const name = e.constructor.name;
  return name === "InternalError" || name === "TooManyRequestsError" ? name : undefined;
}

/** Alchemy refuses a Worker name or a hostname that is already taken with a plain Error: its text is all there is. */
const WORKER_TAKEN = /^Worker with name '([^']+)' already exists/;
const HOSTNAME_TAKEN = /^CustomDomain for (\S+) already exists in zone/;

export function classifyFailure(err: unknown, step: DeployStep | undefined, subject?: string): FailureCause {
  const service = step?.service === "AWS SES" ? "AWS SES" : "Cloudflare";
  const rerun = "then run the same command again";
  for (const e of chain(err)) {
    const code = field(e, "code");
    if (typeof code === "string" && DNS_CODES.has(code)) {
      return {
        kind: "dns",
        cause: `${service}'s API host could not be resolved (${code}${hostOf(e)}).`,
        fix: `Check your DNS and network connection (and any proxy), ${rerun}.`,
      };
    }
    if (typeof code === "string" && NETWORK_CODES.has(code)) {
      return {
        kind: "network",
        cause: `${service} could not be reached (${code}${hostOf(e)}).`,
        fix: `Check your network connection, proxy and firewall${service === "Cloudflare" ? " (and CLOUDFLARE_BASE_URL, if you set it)" : ""}, ${rerun}.`,
      };
    }
    const name = e instanceof Error ? e.name : undefined;
    if (name && AWS_THROTTLED.has(name)) {
      return {
        kind: "ses-throttled",
        cause: `AWS SES throttled the requests (${name}), after the AWS SDK's own retries.`,
        fix: `Wait a minute, ${rerun}. If it keeps happening, another process is using this key's SES request rate.`,
      };
    }
    if (name === "AccessDeniedException") {
      return {
        kind: "ses-denied",
        cause: `AWS refused this key (AccessDeniedException): ${(e as Error).message}`,
        fix: `Allow the key ses:GetEmailIdentity, ses:CreateEmailIdentity and ses:DeleteEmailIdentity in IAM, ${rerun}.`,
      };
    }
    if (name && AWS_BAD_CREDENTIALS.has(name)) {
      return {
        kind: "ses-credentials",
        cause: `AWS did not accept AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (${name}).`,
        fix: `Set a valid access key for the region in AWS_SES_REGION, ${rerun}.`,
      };
    }
    const retried = alchemyRetryError(e);
    if (retried === "TooManyRequestsError") {
      return {
        kind: "rate-limited",
        cause: `Cloudflare kept answering 429 Too Many Requests, through Alchemy's 10 attempts with backoff (about a minute).`,
        fix: `Wait a few minutes (Cloudflare allows 1200 API requests per 5 minutes per token), ${rerun}.`,
      };
    }
    if (retried === "InternalError") {
      return {
        kind: "server-error",
        cause: `Cloudflare kept answering with a server error (${(e as Error).message || "5xx"}), through Alchemy's 10 attempts with backoff (about a minute).`,
        fix: `Check https://www.cloudflarestatus.com, wait, ${rerun}.`,
      };
    }
    const taken = e instanceof Error ? WORKER_TAKEN.exec(e.message) : null;
    if (taken) return nameTaken(taken[1] as string, "Worker");
    const hostname = e instanceof Error ? HOSTNAME_TAKEN.exec(e.message) : null;
    if (hostname) return nameTaken(hostname[1] as string, "custom domain");
    if (e instanceof CloudflareApiError) return fromCloudflare(e, step, subject);
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    kind: "unknown",
    cause: message.split("\n")[0] as string,
    fix: `Run again with DEBUG=1 for the full error; if it persists, report it with that output.`,
  };
}

function fromCloudflare(
  e: CloudflareApiError,
  step: DeployStep | undefined,
  subject: string | undefined,
): FailureCause {
  const codes = cloudflareErrors(e).map((x) => x.code);
  if (e.status === 401 || codes.some((c) => c !== undefined && BAD_TOKEN_CODES.has(c))) {
    return {
      kind: "token-invalid",
      cause: `Cloudflare did not accept CLOUDFLARE_API_TOKEN (${e.status}: ${said(e)}).`,
      fix: `Create a token at ${API_TOKENS_PAGE} (template "Edit Cloudflare Workers"), set CLOUDFLARE_API_TOKEN to it, then run \`bun alchemy.run.ts --check\`.`,
    };
  }
  if (e.status === 403) {
    const needs = step && step.permissions.length > 0 ? step.permissions.join(", ") : undefined;
    return {
      kind: "permission",
      cause: `Cloudflare refused the token (403: ${said(e)})${needs ? `: this step needs ${needs}` : ""}.`,
      fix: `Edit the token at ${API_TOKENS_PAGE}${needs ? ` and add ${needs}` : ""} for this account (CLOUDFLARE_ACCOUNT_ID), then run \`bun alchemy.run.ts --check\`.`,
    };
  }
  const limit = codes.map((c) => (c === undefined ? undefined : LIMIT_CODES[c])).find((l) => l);
  const kvLimit = step?.name === "kv" && codes.includes(KV_LIMIT_CODE);
  if (limit || kvLimit) {
    const { what, docs } = limit ?? { what: "KV namespaces", docs: KV_LIMITS };
    return {
      kind: "account-limit",
      cause: `The Cloudflare account has reached its limit of ${what} (${said(e)}).`,
      fix: `Delete ${what} you no longer use (\`bun alchemy.run.ts --destroy --stage NAME\` for old stages) or raise the limit (${docs}), then run the same command again.`,
    };
  }
  if (codes.some((c) => c !== undefined && NAME_TAKEN_CODES.has(c))) {
    return nameTaken(subject ?? "this name", step?.label.replace(/^the /, "") ?? "resource", said(e));
  }
  return {
    kind: "unknown",
    cause: `Cloudflare refused the request (${e.status}: ${said(e)}).`,
    fix: "Run again with DEBUG=1 for the full error; if it persists, report it with that output.",
  };
}

function nameTaken(name: string, what: string, detail?: string): FailureCause {
  return {
    kind: "name-taken",
    cause: `The name ${name} is already used on the account by a ${what} this stage did not create${detail ? ` (${detail})` : ""}.`,
    fix: `authform does not take over what it did not create. Delete or rename that ${what} in the Cloudflare dashboard if it is not needed, or deploy under another --stage (or config name), then run again.`,
  };
}

/** ` at host:port`, from the URL a fetch error carries (Bun puts it in `path`). */
function hostOf(e: unknown): string {
  const url = field(e, "path") ?? field(e, "url");
  if (typeof url !== "string") return "";
  try {
    return ` at ${new URL(url).host}`;
  } catch {
    return "";
  }
}
