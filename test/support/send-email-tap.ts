/**
 * Miniflare's real send_email binding, behind a tap that records what the Worker handed it.
 *
 * authform sends the binding's builder form ({ from, to, replyTo, subject, text, html }): Cloudflare
 * composes the MIME, and Miniflare's binding only logs From/To/Subject and stores the two parts, so
 * Reply-To is seen nowhere but in the object itself. The tap is a wrapped binding: the Worker calls
 * `env.EMAIL.send(message)`, the tap forwards the same object to Miniflare's binding (which checks it
 * and answers as Cloudflare's would) and records the message with the binding's answer.
 */
import { type Request, Response, type WorkerOptions } from "miniflare";

type Address = string | { name: string; email: string };

/** One call of a send_email binding: the message as the Worker passed it, and the binding's answer. */
export interface SentEmail {
  binding: string;
  message: {
    from: Address;
    to: string | string[];
    replyTo?: Address;
    subject: string;
    text?: string;
    html?: string;
  };
  /** The binding's messageId when it accepted the message. */
  messageId?: string;
  /** The binding's error when it refused it. */
  error?: string;
}

/** A send_email binding as Miniflare takes it: a name and the address checks Cloudflare would apply. */
export interface SendEmailBinding {
  name: string;
  destination_address?: string;
  allowed_destination_addresses?: string[];
  allowed_sender_addresses?: string[];
}

const TAP_WORKER = "authform-send-email-tap";

// A wrapped binding's module default-exports a function of its env that returns the binding object.
const TAP_SCRIPT = `
export default function (env) {
  const record = (entry) =>
    env.RECORD.fetch("http://tap.invalid/", { method: "POST", body: JSON.stringify(entry) });
  return {
    async send(message) {
      try {
        const result = await env[env.TARGET].send(message);
        await record({ binding: env.TARGET, message, messageId: result?.messageId });
        return result;
      } catch (err) {
        await record({ binding: env.TARGET, message, error: String(err?.message ?? err) });
        throw err;
      }
    },
  };
}
`;

export interface SendEmailTap {
  /** Merge into the Worker's options: each binding's name becomes a tapped send_email binding. */
  wrappedBindings: NonNullable<WorkerOptions["wrappedBindings"]>;
  /** The extra Miniflare worker that holds the real bindings. */
  worker: WorkerOptions;
  sent: SentEmail[];
}

export function sendEmailTap(bindings: SendEmailBinding[]): SendEmailTap {
  const sent: SentEmail[] = [];
  return {
    sent,
    wrappedBindings: Object.fromEntries(
      bindings.map(({ name }) => [name, { scriptName: TAP_WORKER, bindings: { TARGET: name } }]),
    ),
    worker: {
      name: TAP_WORKER,
      modules: true,
      script: TAP_SCRIPT,
      email: { send_email: bindings },
      serviceBindings: {
        RECORD: async (request: Request) => {
          sent.push((await request.json()) as SentEmail);
          return new Response(null, { status: 204 });
        },
      },
    },
  };
}
