/**
 * What Miniflare's send_email binding itself did with a builder-form message: it logs the From, To and
 * Subject headers it rendered and stores the text and HTML parts as files (under Miniflare's temp
 * directory, gone on dispose). Read from workerd's structured logs, so a test sees the binding's side.
 */
import { readFile } from "node:fs/promises";

/** One message as the binding rendered and stored it. */
export interface StoredEmail {
  /** Header values as the binding rendered them, e.g. `"Acme" <noreply@acme.example>`. */
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
}

interface StructuredLog {
  level: string;
  message: string;
}

const BUILDER_LOG = "send_email binding called with MessageBuilder:";
// The binding colours its first line when it believes it writes to a terminal.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export interface BindingLogReader {
  /** Miniflare's handleStructuredLogs: takes the binding's lines, passes every other log through. */
  handle(log: StructuredLog): void;
  /** Every builder-form message the binding has logged so far, with its stored parts read back. */
  stored(): Promise<StoredEmail[]>;
}

export function bindingLogReader(): BindingLogReader {
  const seen: Promise<StoredEmail>[] = [];
  return {
    handle(log) {
      const message = log.message.replace(ANSI, "");
      if (message.startsWith(BUILDER_LOG)) {
        // Read now: the files live only as long as the Miniflare instance.
        const read = parse(message);
        read.catch(() => {});
        seen.push(read);
      } else if (log.level === "error" || log.level === "warn") console.error(log.message);
      else console.log(log.message);
    },
    stored: () => Promise.all(seen),
  };
}

async function parse(message: string): Promise<StoredEmail> {
  const lines = message.split("\n");
  const value = (prefix: string) =>
    lines.find((l) => l.startsWith(`${prefix}: `))?.slice(prefix.length + 2) ?? undefined;
  const file = (prefix: string) => {
    const where = value(prefix);
    return where === undefined ? undefined : readFile(where, "utf8");
  };
  return {
    from: value("From") ?? "",
    to: value("To") ?? "",
    subject: value("Subject") ?? "",
    text: await file("Text"),
    html: await file("HTML"),
  };
}
