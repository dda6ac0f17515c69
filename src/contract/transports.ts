/**
 * The email transports, as plain data: what each needs on the Worker. One list per transport,
 * read by the plan (required vars, secrets, bindings) and the Worker (readiness, the SES sender).
 * Separate consts, so the Worker bundles only the lists it reads.
 */
import type { EmailTransport } from "./manifest.ts";

export interface TransportInfo {
  /** Worker secrets it authenticates with. */
  secrets: readonly string[];
  /** Plain Worker vars it cannot send without. */
  vars: readonly string[];
  /** The Worker binding it sends through, and its kind. */
  binding?: { name: string; kind: "send_email" };
  /** It only works in local mode (AUTHFORM_MODE=local); elsewhere its vars count as missing. */
  localOnly?: boolean;
}

/** AWS SES: credentials are Worker secrets, the rest plain vars. */
export const SES_TRANSPORT = {
  secrets: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  vars: ["AWS_SES_REGION", "EMAIL_FROM"],
} as const satisfies TransportInfo;

/** Cloudflare Email Sending: the send_email binding and a sender address. */
export const CLOUDFLARE_TRANSPORT = {
  secrets: [],
  vars: ["EMAIL_FROM"],
  binding: { name: "EMAIL", kind: "send_email" },
} as const satisfies TransportInfo;

/** Local mode: the program's outbox server takes the mail. */
export const LOCAL_OUTBOX_TRANSPORT = {
  secrets: [],
  vars: ["AUTHFORM_OUTBOX_URL"],
  localOnly: true,
} as const satisfies TransportInfo;

export const EMAIL_TRANSPORTS: Record<EmailTransport, TransportInfo> = {
  "local-outbox": LOCAL_OUTBOX_TRANSPORT,
  cloudflare: CLOUDFLARE_TRANSPORT,
  "aws-ses": SES_TRANSPORT,
};

/**
 * How `--plan` and the run summary name each transport. Apart from EMAIL_TRANSPORTS so the Worker,
 * which reads that, does not bundle the labels.
 */
export const TRANSPORT_LABELS: Record<EmailTransport, string> = {
  "local-outbox": "local outbox (printed and saved under .authform/outbox/)",
  cloudflare: "Cloudflare send_email binding",
  "aws-ses": "AWS SES",
};
