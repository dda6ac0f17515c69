/** A loopback HTTP recorder for SES requests: keeps each raw request, answers or forwards it, and re-checks its SigV4 signature. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsV4Signer } from "aws4fetch";

export interface RecordedSesRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  /** Raw header pairs as received (names in their sent case, repeats kept). */
  headers: [string, string][];
  body: string;
}

export interface SesReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface SesRecorder {
  /** `http://127.0.0.1:<port>`: what AWS_SES_ENDPOINT is set to. */
  url: string;
  requests: RecordedSesRequest[];
  close(): Promise<void>;
}

export interface SesRecorderOptions {
  /** Answer a request with this instead (return undefined to pass it on). */
  reply?: (request: RecordedSesRequest) => SesReply | undefined;
  /** Forward other requests to this origin (e.g. the SES emulator) and relay its answer. @default answer 200 `{"MessageId":"recorded-<n>"}` */
  forwardTo?: string;
}

export async function startSesRecorder(options: SesRecorderOptions = {}): Promise<SesRecorder> {
  const requests: RecordedSesRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
    }
    const recorded = {
      method: req.method as string,
      path: req.url as string,
      headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(recorded);
    const reply = options.reply?.(recorded);
    if (reply) {
      res.writeHead(reply.status, reply.headers).end(reply.body ?? "");
      return;
    }
    if (options.forwardTo) {
      const forwarded = await fetch(`${options.forwardTo}${recorded.path}`, {
        method: recorded.method,
        headers: headers.filter(
          ([name]) => !["host", "content-length", "connection"].includes(name.toLowerCase()),
        ),
        ...(recorded.body ? { body: recorded.body } : {}),
      });
      res.writeHead(forwarded.status, {
        "content-type": forwarded.headers.get("content-type") ?? "text/plain",
      });
      res.end(await forwarded.text());
      return;
    }
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ MessageId: `recorded-${requests.length}` }));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export function headerOf(request: RecordedSesRequest, name: string): string | undefined {
  return request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/**
 * Signs the recorded request again with aws4fetch (an independent signer), over exactly the
 * headers its Authorization says were signed and at its X-Amz-Date, and returns that
 * Authorization value: equal to the recorded one only if the recorded signature is right.
 */
export async function recomputeAuthorization(
  request: RecordedSesRequest,
  { accessKeyId, secretAccessKey, region }: { accessKeyId: string; secretAccessKey: string; region: string },
): Promise<string | null> {
  const authorization = headerOf(request, "authorization") ?? "";
  const signedNames = authorization.match(/SignedHeaders=([^,]+)/)?.[1]?.split(";") ?? [];
  const signed = request.headers.filter(([name]) => signedNames.includes(name.toLowerCase()));
  const host = headerOf(request, "host") as string;
  const signer = new AwsV4Signer({
    url: `http://${host}${request.path}`,
    method: request.method,
    headers: signed.filter(([name]) => name.toLowerCase() !== "host"),
    body: request.body,
    accessKeyId,
    secretAccessKey,
    region,
    service: "ses",
    datetime: headerOf(request, "x-amz-date"),
    allHeaders: true,
  });
  return (await signer.sign()).headers.get("authorization");
}
