/** `authform::SesIdentity`: the SES sending identity (a domain or an address), created if absent, with the DNS records it needs. */

import type { GetEmailIdentityCommandOutput } from "@aws-sdk/client-sesv2";
import alchemy, { type Context, Resource, type Secret } from "alchemy";

export interface SesIdentityProps {
  /**
   * What SES verifies: a domain (`example.com`: DKIM-signs mail from every address at it) or a
   * single address (`noreply@example.com`: SES mails it a link to click). Cannot change after
   * creation: declare a new resource instead.
   */
  identity: string;
  /** The SES region the identity lives in (identities are per region). Cannot change after creation. */
  region: string;
  /** An access key with ses:GetEmailIdentity, ses:CreateEmailIdentity and ses:DeleteEmailIdentity. */
  accessKeyId: string | Secret;
  /** Its secret; kept encrypted in state. */
  secretAccessKey: string | Secret;
  /**
   * The SES API origin, for an emulator or a test double.
   * @default `https://email.<region>.amazonaws.com`
   */
  endpoint?: string;
}

/** A DNS record to publish so SES can verify the identity. */
export interface SesDnsRecord {
  type: "CNAME";
  name: string;
  value: string;
}

export interface SesIdentity {
  identity: string;
  region: string;
  endpoint?: string;
  identityType: "DOMAIN" | "EMAIL_ADDRESS";
  /** SES lets you send from the identity. */
  verifiedForSending: boolean;
  /** `PENDING` until SES has seen the DNS records (a domain) or the link was clicked (an address); then `SUCCESS`. */
  verificationStatus: string;
  /** Easy DKIM status of a domain identity. */
  dkimStatus?: string;
  /** The records to add at your DNS provider (the three Easy DKIM CNAMEs of a domain; none for an address). */
  dnsRecords: SesDnsRecord[];
  /** True when this resource created the identity; one that already existed is never deleted by it. */
  created: boolean;
  /**
   * The SES call the key may not make (a send-only key): the identity was then neither read nor
   * created, `verificationStatus` is `UNKNOWN`, and the deploy carries on.
   */
  deniedOperation?: "GetEmailIdentity" | "CreateEmailIdentity";
  /** When SES was last asked (ISO 8601). */
  checkedAt: string;
}

/** An identity's state in SES, as GetEmailIdentity reports it. */
export type SesIdentityStatus = Pick<
  SesIdentity,
  "identityType" | "verifiedForSending" | "verificationStatus" | "dkimStatus" | "dnsRecords"
>;

/** How the program reaches SES; credentials in clear, so this never goes into state. */
export interface SesConnection {
  region: string;
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
}

type Props = Omit<SesIdentityProps, "accessKeyId" | "secretAccessKey"> & {
  accessKeyId: Secret;
  secretAccessKey: Secret;
};

/**
 * Verifies a SES sending identity. Creates it when SES does not have it, reads its status and
 * DKIM tokens, and returns the DNS records to publish. A re-run with the same props is skipped;
 * any other re-run only reads. Destroy deletes the identity only if this resource created it.
 *
 * @example
 * // The domain of the sender address, with credentials from the environment
 * const identity = await SesIdentity("ses-identity", {
 *   identity: "example.com",
 *   region: "eu-west-1",
 *   accessKeyId: process.env.AWS_ACCESS_KEY_ID!,
 *   secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY!,
 * });
 * for (const r of identity.dnsRecords) console.log(`${r.name} ${r.type} ${r.value}`);
 *
 * @example
 * // One address against a local SES double
 * await SesIdentity("ses-identity", {
 *   identity: "noreply@example.com",
 *   region: "us-east-1",
 *   accessKeyId: "test",
 *   secretAccessKey: "test",
 *   endpoint: "http://127.0.0.1:8005",
 * });
 */
export function SesIdentity(id: string, props: SesIdentityProps) {
  // Plain strings become secrets before the resource runs, so state never holds them in clear.
  return SesIdentityResource(id, {
    ...props,
    accessKeyId: asSecret(props.accessKeyId),
    secretAccessKey: asSecret(props.secretAccessKey),
  });
}

function asSecret(value: string | Secret): Secret {
  return typeof value === "string" ? alchemy.secret(value) : value;
}

const SesIdentityResource = Resource(
  "authform::SesIdentity",
  async function (this: Context<SesIdentity, Props>, _id: string, props: Props): Promise<SesIdentity> {
    if (this.phase === "delete") {
      if (this.output?.created) {
        const { ses, client } = await sesApi(connection(this.props));
        try {
          await client.send(new ses.DeleteEmailIdentityCommand({ EmailIdentity: this.output.identity }));
        } catch (err) {
          // Already gone is what delete wants.
          if (!(err instanceof ses.NotFoundException)) throw err;
        }
      }
      return this.destroy();
    }

    if (this.phase === "update") {
      for (const key of ["identity", "region"] as const) {
        if (this.output[key] !== props[key]) {
          throw new Error(
            `Cannot change SesIdentity.${key} from '${this.output[key]}' to '${props[key]}' after creation.`,
          );
        }
      }
    }

    const conn = connection(props);
    let created = this.phase === "update" ? this.output.created : false;
    const base = {
      identity: props.identity,
      region: props.region,
      ...(props.endpoint ? { endpoint: props.endpoint } : {}),
    };
    // A key that may only send (all the Worker needs) cannot manage identities: say so, do not fail the deploy.
    const denied = (operation: "GetEmailIdentity" | "CreateEmailIdentity"): SesIdentity => ({
      ...base,
      identityType: props.identity.includes("@") ? "EMAIL_ADDRESS" : "DOMAIN",
      verifiedForSending: false,
      verificationStatus: "UNKNOWN",
      dnsRecords: [],
      created,
      deniedOperation: operation,
      checkedAt: new Date().toISOString(),
    });

    let status: SesIdentityStatus | undefined;
    try {
      status = await readSesIdentity(conn, props.identity);
    } catch (err) {
      if (isAccessDenied(err)) return denied("GetEmailIdentity");
      throw err;
    }
    if (!status) {
      const { ses, client } = await sesApi(conn);
      try {
        await client.send(new ses.CreateEmailIdentityCommand({ EmailIdentity: props.identity }));
        created = true;
      } catch (err) {
        if (isAccessDenied(err)) return denied("CreateEmailIdentity");
        // Created by someone else between our read and our create: adopt it, never delete it.
        if (!(err instanceof ses.AlreadyExistsException)) throw err;
      }
      status = await readSesIdentity(conn, props.identity);
      if (!status) throw new Error(`SES did not return the identity ${props.identity} after creating it.`);
    }
    return { ...base, ...status, created, checkedAt: new Date().toISOString() };
  },
);

function connection(props: Props): SesConnection {
  return {
    region: props.region,
    ...(props.endpoint ? { endpoint: props.endpoint } : {}),
    accessKeyId: props.accessKeyId.unencrypted,
    secretAccessKey: props.secretAccessKey.unencrypted,
  };
}

/** The SES v2 client, loaded only when SES is chosen: the SDK is a deploy-time dependency, never in the Worker. */
async function sesApi(conn: SesConnection) {
  const ses = await import("@aws-sdk/client-sesv2");
  const client = new ses.SESv2Client({
    region: conn.region,
    ...(conn.endpoint ? { endpoint: conn.endpoint } : {}),
    credentials: { accessKeyId: conn.accessKeyId, secretAccessKey: conn.secretAccessKey },
  });
  return { ses, client };
}

/**
 * Reads an identity's verification state (GetEmailIdentity, nothing else): undefined when SES
 * has no such identity. A refusal by IAM is thrown (see isAccessDenied).
 */
export async function readSesIdentity(
  conn: SesConnection,
  identity: string,
): Promise<SesIdentityStatus | undefined> {
  const { ses, client } = await sesApi(conn);
  let current: GetEmailIdentityCommandOutput;
  try {
    current = await client.send(new ses.GetEmailIdentityCommand({ EmailIdentity: identity }));
  } catch (err) {
    if (err instanceof ses.NotFoundException) return undefined;
    throw err;
  }
  const identityType = current.IdentityType === "DOMAIN" ? "DOMAIN" : "EMAIL_ADDRESS";
  return {
    identityType,
    verifiedForSending: current.VerifiedForSendingStatus === true,
    verificationStatus:
      current.VerificationStatus ?? (current.VerifiedForSendingStatus ? "SUCCESS" : "PENDING"),
    ...(current.DkimAttributes?.Status ? { dkimStatus: current.DkimAttributes.Status } : {}),
    dnsRecords: identityType === "DOMAIN" ? dkimRecords(identity, current.DkimAttributes?.Tokens ?? []) : [],
  };
}

/** IAM's refusal: SES v2 does not model it, so the SDK names the error by its code. */
export function isAccessDenied(err: unknown): boolean {
  return err instanceof Error && err.name === "AccessDeniedException";
}

/** Easy DKIM: `<token>._domainkey.<domain>` CNAME `<token>.dkim.amazonses.com`, one per token. */
export function dkimRecords(domain: string, tokens: string[]): SesDnsRecord[] {
  return tokens.map((token) => ({
    type: "CNAME",
    name: `${token}._domainkey.${domain}`,
    value: `${token}.dkim.amazonses.com`,
  }));
}
