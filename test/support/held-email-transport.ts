/**
 * An email transport stand-in that holds every send until the test lets it go: an SES v2 endpoint on
 * loopback (AWS_SES_ENDPOINT) that records each SendEmail as it arrives and answers it only on
 * `release()`. With it a test can tell by the order of events whether a response waited for its email.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface HeldSend {
  /** The recipients SES was asked to mail. */
  to: string[];
  /** Settles once the stand-in has answered the Worker (200, the send went through). */
  answered: Promise<void>;
}

export interface HeldEmailTransport {
  /** `http://127.0.0.1:<port>`: what AWS_SES_ENDPOINT is set to. */
  url: string;
  /** Every send that has arrived, answered or not. */
  sends: HeldSend[];
  /** Resolves with the first send to `address` once it arrives (already-arrived ones included). */
  arrival(address: string): Promise<HeldSend>;
  /** Answers every held send: the transport accepts them. */
  release(): void;
  close(): Promise<void>;
}

export async function startHeldEmailTransport(): Promise<HeldEmailTransport> {
  const sends: HeldSend[] = [];
  const held: (() => void)[] = [];
  const waiting: { address: string; resolve: (send: HeldSend) => void }[] = [];
  let count = 0;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      Destination?: { ToAddresses?: string[] };
    };
    let markAnswered = () => {};
    const send: HeldSend = {
      to: body.Destination?.ToAddresses ?? [],
      answered: new Promise<void>((resolve) => {
        markAnswered = resolve;
      }),
    };
    sends.push(send);
    held.push(() => answer(res, markAnswered));
    for (const w of waiting.splice(0)) {
      if (send.to.includes(w.address)) w.resolve(send);
      else waiting.push(w);
    }
  });

  function answer(res: ServerResponse, markAnswered: () => void) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ MessageId: `held-${++count}` }), () => markAnswered());
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sends,
    arrival(address) {
      const found = sends.find((s) => s.to.includes(address));
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiting.push({ address, resolve }));
    },
    release() {
      for (const go of held.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
