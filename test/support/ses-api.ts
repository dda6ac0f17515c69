/**
 * A loopback stand-in for the SES v2 identity calls a deploy makes (CreateEmailIdentity,
 * GetEmailIdentity, DeleteEmailIdentity), with AWS's documented JSON shapes and REST-JSON errors
 * (`x-amzn-ErrorType` + `{"message"}`). It checks each request's SigV4 signature and records it.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { headerOf, type RecordedSesRequest, recomputeAuthorization } from "./ses-recorder.ts";

export interface SesApiOptions {
  /** The key requests must be signed with. @default "AKIASESDOUBLE000001" */
  accessKeyId?: string;
  /** @default "ses-double-secret" */
  secretAccessKey?: string;
  /** The region requests must be scoped to. @default "eu-west-1" */
  region?: string;
  /** `ignore`: accept any SigV4-signed request (for tests that rotate credentials). @default "check" */
  signatures?: "check" | "ignore";
}

export type SesOperation = "GetEmailIdentity" | "CreateEmailIdentity" | "DeleteEmailIdentity" | "GetAccount";

export interface SesApiRequest {
  method: string;
  path: string;
  body?: unknown;
  status: number;
  /** The error SES answered with, e.g. `NotFoundException`. */
  error?: string;
}

interface StoredIdentity {
  type: "DOMAIN" | "EMAIL_ADDRESS";
  verified: boolean;
  tokens: string[];
  createdAt: number;
}

const IDENTITIES = "/v2/email/identities";

export class SesApiStandIn {
  readonly identities = new Map<string, StoredIdentity>();
  readonly requests: SesApiRequest[] = [];
  /** Operations the key is not allowed to call (IAM would answer AccessDeniedException). */
  readonly denied = new Set<SesOperation>();
  /** Identity requests SES answers with 429 TooManyRequestsException before it serves again (its throttle). */
  throttled = 0;
  /** GetAccount's ProductionAccessEnabled: false is the sandbox every new SES account starts in. */
  productionAccess = false;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
  ) {}

  static async start(options: SesApiOptions = {}): Promise<SesApiStandIn> {
    const credentials = {
      accessKeyId: options.accessKeyId ?? "AKIASESDOUBLE000001",
      secretAccessKey: options.secretAccessKey ?? "ses-double-secret",
      region: options.region ?? "eu-west-1",
      signatures: options.signatures ?? "check",
    };
    let standIn: SesApiStandIn | undefined;
    const server = createServer((req, res) => {
      void (standIn as SesApiStandIn).handle(req, res, credentials).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    standIn = new SesApiStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return standIn;
  }

  /** What a deploy's environment needs to talk to this stand-in instead of AWS. */
  env(): Record<string, string> {
    return { AWS_SES_ENDPOINT: this.url };
  }

  /** As if SES had seen the DNS records (or the address owner clicked the link). */
  verify(identity: string): void {
    const stored = this.identities.get(identity);
    if (!stored) throw new Error(`no identity ${identity}`);
    stored.verified = true;
  }

  mark(): number {
    return this.requests.length;
  }

  since(mark: number): SesApiRequest[] {
    return this.requests.slice(mark);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.closeAllConnections();
      this.server.close((err) => (err ? reject(err) : resolve()));
    });
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
    credentials: Required<SesApiOptions>,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const raw: RecordedSesRequest = {
      method: req.method as string,
      path: req.url as string,
      headers: [],
      body: text,
    };
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      raw.headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
    }
    const path = (req.url as string).split("?")[0] as string;
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const record = (status: number, error?: string) =>
      this.requests.push({
        method: raw.method,
        path,
        ...(body ? { body } : {}),
        status,
        ...(error ? { error } : {}),
      });

    const reply = (status: number, payload: unknown) => {
      record(status);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    };
    const fail = (status: number, type: string, message: string) => {
      record(status, type);
      res
        .writeHead(status, {
          "content-type": "application/json",
          "x-amzn-ErrorType": `${type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`,
          "x-amzn-RequestId": randomBytes(16).toString("hex"),
        })
        .end(JSON.stringify({ message }));
    };

    const authorization = headerOf(raw, "authorization") ?? "";
    if (!authorization.startsWith("AWS4-HMAC-SHA256 Credential=")) {
      return fail(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    if (credentials.signatures === "check") {
      if (!authorization.includes(`Credential=${credentials.accessKeyId}/`)) {
        return fail(
          403,
          "UnrecognizedClientException",
          "The security token included in the request is invalid.",
        );
      }
      if (!authorization.includes(`/${credentials.region}/ses/aws4_request`)) {
        return fail(403, "InvalidSignatureException", "Credential should be scoped to a valid region.");
      }
      if ((await recomputeAuthorization(raw, credentials)) !== authorization) {
        return fail(
          403,
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided.",
        );
      }
    }
    const deny = (operation: SesOperation) => {
      if (!this.denied.has(operation)) return false;
      fail(
        403,
        "AccessDeniedException",
        `User: arn:aws:iam::123456789012:user/sender is not authorized to perform: ses:${operation}`,
      );
      return true;
    };

    // GetAccount: the sandbox flag and sending quota (a sandbox account's are 200 per 24 h, 1 per second).
    if (raw.method === "GET" && path === "/v2/email/account") {
      if (deny("GetAccount")) return;
      return reply(200, {
        DedicatedIpAutoWarmupEnabled: false,
        EnforcementStatus: "HEALTHY",
        ProductionAccessEnabled: this.productionAccess,
        SendQuota: this.productionAccess
          ? { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 12 }
          : { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 },
        SendingEnabled: true,
      });
    }

    // The throttle is on the identity calls only, so a test can let a preflight's GetAccount through.
    if (this.throttled > 0 && path.startsWith(IDENTITIES)) {
      this.throttled--;
      return fail(429, "TooManyRequestsException", "Too many requests have been made to the operation.");
    }

    if (raw.method === "POST" && path === IDENTITIES) {
      if (deny("CreateEmailIdentity")) return;
      const name = String(body?.EmailIdentity ?? "");
      if (!name) return fail(400, "BadRequestException", "EmailIdentity is required.");
      if (this.identities.has(name))
        return fail(400, "AlreadyExistsException", `Email identity ${name} already exist.`);
      const stored: StoredIdentity = {
        type: name.includes("@") ? "EMAIL_ADDRESS" : "DOMAIN",
        verified: false,
        tokens: name.includes("@") ? [] : [0, 1, 2].map(() => randomBytes(16).toString("hex")),
        createdAt: Math.floor(Date.now() / 1000),
      };
      this.identities.set(name, stored);
      return reply(200, {
        IdentityType: stored.type,
        VerifiedForSendingStatus: false,
        DkimAttributes: dkimAttributes(stored),
      });
    }

    if (path.startsWith(`${IDENTITIES}/`) && !path.slice(IDENTITIES.length + 1).includes("/")) {
      const name = decodeURIComponent(path.slice(IDENTITIES.length + 1));
      const stored = this.identities.get(name);
      if (raw.method === "GET") {
        if (deny("GetEmailIdentity")) return;
        if (!stored) return fail(404, "NotFoundException", `Email identity ${name} does not exist.`);
        return reply(200, {
          IdentityType: stored.type,
          FeedbackForwardingStatus: true,
          VerifiedForSendingStatus: stored.verified,
          DkimAttributes: dkimAttributes(stored),
          MailFromAttributes: { BehaviorOnMxFailure: "USE_DEFAULT_VALUE", MailFromDomainStatus: "PENDING" },
          Policies: {},
          Tags: [],
          VerificationStatus: stored.verified ? "SUCCESS" : "PENDING",
          VerificationInfo: {},
        });
      }
      if (raw.method === "DELETE") {
        if (deny("DeleteEmailIdentity")) return;
        if (!stored) return fail(404, "NotFoundException", `Email identity ${name} does not exist.`);
        this.identities.delete(name);
        return reply(200, {});
      }
    }
    fail(404, "UnknownOperationException", `No operation for ${raw.method} ${path}.`);
  }
}

/** A domain's Easy DKIM attributes; an address identity signs only once its domain is set up. */
function dkimAttributes(stored: StoredIdentity) {
  if (stored.type === "EMAIL_ADDRESS") {
    return { SigningEnabled: false, Status: "NOT_STARTED", SigningAttributesOrigin: "AWS_SES" };
  }
  return {
    SigningEnabled: true,
    Status: stored.verified ? "SUCCESS" : "PENDING",
    Tokens: stored.tokens,
    SigningAttributesOrigin: "AWS_SES",
    NextSigningKeyLength: "RSA_2048_BIT",
    CurrentSigningKeyLength: "RSA_2048_BIT",
    LastKeyGenerationTimestamp: stored.createdAt,
  };
}
