/**
 * A loopback webhook receiver: records every delivery (headers and body) per path, verifies each with
 * the `standardwebhooks` package, and answers as a test scripts it (ok, fail N times per id, always fail).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Delivery {
  path: string;
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  /** Whether the signature verified with the endpoint's secret (standardwebhooks). */
  verified: boolean;
  /** What the receiver answered. */
  status: number;
}

/** How a path answers: 200, `fail-first:N` (500 to the first N attempts of each id), or a fixed status. */
export type Behaviour =
  | { kind: "ok" }
  | { kind: "fail-first"; times: number }
  | { kind: "status"; status: number };

export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  private readonly seen = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly paths: Record<string, { secret: string; behaviour: Behaviour }>,
  ) {}

  static async start(
    paths: Record<string, { secret: string; behaviour: Behaviour }>,
  ): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const status =
          receiver?.receive(req.url ?? "/", req.headers, Buffer.concat(chunks).toString("utf8")) ?? 500;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}`, paths);
    return receiver;
  }

  private receive(
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: string,
  ): number {
    const endpoint = this.paths[path];
    const header = (name: string) => String(headers[name] ?? "");
    const id = header("webhook-id");
    let verified = false;
    if (endpoint) {
      try {
        new Webhook(endpoint.secret).verify(body, {
          "webhook-id": id,
          "webhook-timestamp": header("webhook-timestamp"),
          "webhook-signature": header("webhook-signature"),
        });
        verified = true;
      } catch {
        verified = false;
      }
    }
    const attempt = (this.seen.get(`${path} ${id}`) ?? 0) + 1;
    this.seen.set(`${path} ${id}`, attempt);
    const behaviour = endpoint?.behaviour ?? { kind: "status", status: 404 };
    const status =
      behaviour.kind === "ok"
        ? 200
        : behaviour.kind === "fail-first"
          ? attempt <= behaviour.times
            ? 500
            : 200
          : behaviour.status;
    this.deliveries.push({
      path,
      id,
      timestamp: Number(header("webhook-timestamp")),
      signature: header("webhook-signature"),
      body,
      verified,
      status,
    });
    return status;
  }

  to(path: string): Delivery[] {
    return this.deliveries.filter((d) => d.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
