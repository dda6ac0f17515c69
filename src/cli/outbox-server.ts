/**
 * Local mode's mail server: the Worker POSTs each email here (loopback only); it is saved under
 * `.authform/outbox/<stage>/` and announced in one line, so a developer can use the code or link.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { lastSequence, type OutboxMessage, outboxDir, outboxFileName } from "./outbox.ts";

/** An auth email is a few KB; anything near this is not one. */
export const MAX_OUTBOX_BODY_BYTES = 512 * 1024;

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const KIND = /^[a-z][a-z-]{0,31}$/;

export interface OutboxServer {
  /** What the Worker posts to (AUTHFORM_OUTBOX_URL): loopback, with a random path. */
  url: string;
  dir: string;
  close(): Promise<void>;
}

export interface OutboxServerOptions {
  root: string;
  stage: string;
  /** Where the one-line notices go. */
  log?: (line: string) => void;
}

export async function startOutboxServer({
  root,
  stage,
  log = console.log,
}: OutboxServerOptions): Promise<OutboxServer> {
  const dir = outboxDir(root, stage);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let seq = await lastSequence(dir);
  // Only the Worker knows the path: a page in the developer's browser cannot guess where to post.
  const pathname = `/outbox/${randomBytes(16).toString("hex")}`;
  let host = "";

  const server = http.createServer((req, res) => {
    const reply = (status: number, body: Record<string, unknown>) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const refusal = checkRequest(req, { host, pathname });
    if (refusal) {
      req.resume();
      return reply(refusal.status, { error: refusal.error, message: refusal.message });
    }
    readBody(req).then(
      async (raw) => {
        if (raw === undefined) {
          return reply(413, {
            error: "payload_too_large",
            message: `Emails are at most ${MAX_OUTBOX_BODY_BYTES} bytes.`,
          });
        }
        const parsed = parseMessage(raw);
        if (typeof parsed === "string") return reply(400, { error: "bad_request", message: parsed });
        if (/\.invalid$/i.test(parsed.to)) {
          // RFC 2606 reserves .invalid: no mail server ever accepts it. Use it to try the failure path locally.
          return reply(422, {
            error: "undeliverable",
            message: "Addresses at .invalid cannot receive email (the domain is reserved by RFC 2606).",
          });
        }
        seq += 1;
        const name = outboxFileName(seq, parsed.kind);
        const message: OutboxMessage = { ...parsed, sentAt: new Date().toISOString() };
        // Written whole, then renamed: a reader never sees half a file.
        const temporary = path.join(dir, `.${name}.tmp`);
        await writeFile(temporary, `${JSON.stringify(message, null, 2)}\n`, { mode: 0o600 });
        await rename(temporary, path.join(dir, name));
        log(
          `✉  ${printable(parsed.kind)} for ${printable(parsed.to)}: ${printable(parsed.secretPreview ?? parsed.subject)}`,
        );
        reply(201, { stored: path.join(path.relative(root, dir), name) });
      },
      (err: unknown) =>
        reply(500, {
          error: "internal_error",
          message: `The outbox could not store the email: ${String(err)}`,
        }),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // The program keeps running for workerd; the outbox alone never holds it open.
  server.unref();
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${host}${pathname}`,
    dir,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Refusal {
  status: number;
  error: string;
  message: string;
}

function checkRequest(
  req: http.IncomingMessage,
  { host, pathname }: { host: string; pathname: string },
): Refusal | undefined {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) {
    return { status: 403, error: "forbidden", message: "The outbox only takes email from this machine." };
  }
  // A browser sends Origin; a page on another site, or a rebound DNS name, must not write here.
  if (req.headers.origin !== undefined || req.headers.host !== host) {
    return { status: 403, error: "forbidden", message: "The outbox only takes email from the local Worker." };
  }
  if (req.url !== pathname) return { status: 404, error: "not_found", message: "No outbox here." };
  if (req.method !== "POST")
    return { status: 405, error: "method_not_allowed", message: "POST an email as JSON." };
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (!type.startsWith("application/json")) {
    return { status: 415, error: "unsupported_media_type", message: "The outbox takes application/json." };
  }
  if (Number(req.headers["content-length"] ?? 0) > MAX_OUTBOX_BODY_BYTES) {
    return {
      status: 413,
      error: "payload_too_large",
      message: `Emails are at most ${MAX_OUTBOX_BODY_BYTES} bytes.`,
    };
  }
  return undefined;
}

/** The body as text, or undefined once it passes the size limit (the rest is drained, not kept). */
function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_OUTBOX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () =>
      resolve(size > MAX_OUTBOX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

type ParsedMessage = Omit<OutboxMessage, "sentAt">;

/** The email, or what is wrong with it. */
function parseMessage(raw: string): ParsedMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return "The body is not valid JSON.";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "Expected a JSON object.";
  const m = value as Record<string, unknown>;
  for (const field of ["kind", "to", "subject", "text", "html"]) {
    if (typeof m[field] !== "string") return `Expected "${field}" to be a string.`;
  }
  if (m.secretPreview !== undefined && typeof m.secretPreview !== "string") {
    return 'Expected "secretPreview" to be a string.';
  }
  const kind = m.kind as string;
  const to = m.to as string;
  if (!KIND.test(kind)) return `Unknown kind "${printable(kind.slice(0, 40))}".`;
  if (!/^[^\s@]+@[^\s@]+$/.test(to) || to.length > 320) return `"to" is not an email address.`;
  return {
    kind,
    to,
    subject: m.subject as string,
    text: m.text as string,
    html: m.html as string,
    ...(m.secretPreview === undefined ? {} : { secretPreview: m.secretPreview as string }),
  };
}

/** No control characters reach the terminal (a crafted value could otherwise move the cursor or recolour it). */
function printable(value: string): string {
  return value.replace(/\p{Cc}/gu, "�");
}
