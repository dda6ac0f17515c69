/** aws-ses-v2-local (the SES v2 emulator) on a chosen loopback port, and the emails it received (`GET /store`). */
import type { Server } from "node:http";
import * as emulator from "aws-ses-v2-local";
import { freePort } from "./stack.ts";

/** An email as the emulator stores it. */
export interface EmulatedEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** Epoch seconds. */
  at: number;
}

export interface SesEmulator {
  url: string;
  emails(): Promise<EmulatedEmail[]>;
  close(): Promise<void>;
}

type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;

export async function startSesEmulator(): Promise<SesEmulator> {
  // A CommonJS module with `exports.default`: ESM sees it one level down, depending on the loader.
  const exported = emulator.default as unknown as StartServer | { default: StartServer };
  const start = typeof exported === "function" ? exported : exported.default;
  const port = await freePort();
  const server = await start({ host: "127.0.0.1", port });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async emails() {
      const res = await fetch(`${url}/store`);
      if (!res.ok) throw new Error(`GET /store answered ${res.status}`);
      return ((await res.json()) as { emails: EmulatedEmail[] }).emails;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
