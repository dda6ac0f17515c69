/**
 * A loopback stand-in for the four S3 calls Alchemy's S3 state store makes — ListObjectsV2,
 * GetObject, PutObject, DeleteObject — path-style (the SDK addresses an IP endpoint that way),
 * with S3's documented XML bodies and error codes (NoSuchBucket, NoSuchKey, AccessDenied for an
 * unsigned request). It records requests.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface S3Request {
  method: string;
  bucket: string;
  key?: string;
  status: number;
}

interface StoredObject {
  body: Buffer;
  modified: Date;
}

const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

export class S3ApiStandIn {
  /** Objects by bucket, then key. Only these buckets exist. */
  readonly buckets = new Map<string, Map<string, StoredObject>>();
  readonly requests: S3Request[] = [];

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
  ) {}

  static async start(buckets: string[]): Promise<S3ApiStandIn> {
    let standIn: S3ApiStandIn | undefined;
    const server = createServer((req, res) => {
      void standIn?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    standIn = new S3ApiStandIn(server, `http://127.0.0.1:${port}`);
    for (const bucket of buckets) standIn.buckets.set(bucket, new Map());
    return standIn;
  }

  /** What the AWS SDK needs to send S3 calls here instead of AWS. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_S3: this.url,
      AWS_ACCESS_KEY_ID: "AKIAS3STANDIN0000001",
      AWS_SECRET_ACCESS_KEY: "s3-stand-in-secret",
    };
  }

  /** Keys under a prefix in a bucket, sorted. */
  keys(bucket: string, prefix = ""): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
  }

  text(bucket: string, key: string): string | undefined {
    return this.buckets.get(bucket)?.get(key)?.body.toString("utf8");
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", this.url);
    const [, bucketName = "", ...rest] = url.pathname.split("/");
    const key = rest.length > 0 ? rest.map(decodeURIComponent).join("/") : undefined;
    const body = await readBody(req);
    const record = (status: number) =>
      this.requests.push({ method: req.method ?? "", bucket: bucketName, ...(key ? { key } : {}), status });
    // Unsigned requests never reach a bucket on S3 (the signature itself is not checked here).
    if (!String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 Credential=")) {
      record(403);
      return sendError(res, 403, "AccessDenied", "Access Denied", req.method);
    }
    const bucket = this.buckets.get(bucketName);
    if (!bucket) {
      record(404);
      return sendError(res, 404, "NoSuchBucket", "The specified bucket does not exist", req.method);
    }
    if (req.method === "GET" && !key && url.searchParams.get("list-type") === "2") {
      record(200);
      return sendXml(res, 200, listObjects(bucketName, bucket, url.searchParams));
    }
    if (key && req.method === "GET") {
      const object = bucket.get(key);
      record(object ? 200 : 404);
      if (!object) return sendError(res, 404, "NoSuchKey", "The specified key does not exist.", req.method);
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": object.body.length,
        etag: etag(object.body),
        "last-modified": object.modified.toUTCString(),
      });
      return res.end(object.body);
    }
    if (key && req.method === "PUT") {
      bucket.set(key, { body, modified: new Date() });
      record(200);
      res.writeHead(200, { etag: etag(body) });
      return res.end();
    }
    if (key && req.method === "DELETE") {
      bucket.delete(key);
      record(204);
      res.writeHead(204);
      return res.end();
    }
    record(501);
    return sendError(res, 501, "NotImplemented", "The stand-in does not implement this call.", req.method);
  }
}

function listObjects(name: string, bucket: Map<string, StoredObject>, params: URLSearchParams): string {
  const prefix = params.get("prefix") ?? "";
  const maxKeys = Number(params.get("max-keys") ?? 1000);
  const start = params.get("continuation-token") ?? "";
  const matching = [...bucket.keys()].filter((k) => k.startsWith(prefix) && k > start).sort();
  const page = matching.slice(0, maxKeys);
  const truncated = matching.length > page.length;
  const contents = page.map((k) => {
    const object = bucket.get(k) as StoredObject;
    return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${object.modified.toISOString()}</LastModified><ETag>${escapeXml(etag(object.body))}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  });
  return [
    `<ListBucketResult xmlns="${XMLNS}">`,
    `<Name>${escapeXml(name)}</Name><Prefix>${escapeXml(prefix)}</Prefix>`,
    `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>`,
    ...(truncated ? [`<NextContinuationToken>${escapeXml(page.at(-1) ?? "")}</NextContinuationToken>`] : []),
    ...contents,
    "</ListBucketResult>",
  ].join("");
}

function sendXml(res: ServerResponse, status: number, xml: string) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, method?: string) {
  // S3 answers HEAD without a body; the SDK then reads the code from the status.
  if (method === "HEAD") {
    res.writeHead(status);
    return res.end();
  }
  sendXml(res, status, `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`);
}

function etag(body: Buffer): string {
  return `"${createHash("md5").update(body).digest("hex")}"`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
