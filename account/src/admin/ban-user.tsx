/** The ban form: a reason the user's record keeps, and how long (Better Auth's banExpiresIn, in seconds). */
import { useState } from "preact/hooks";
import { Button, Field, Form } from "../components/ui.tsx";

const DAY = 24 * 60 * 60;
const LENGTHS: [string, number][] = [
  ["Until unbanned", 0],
  ["1 hour", 60 * 60],
  ["1 day", DAY],
  ["7 days", 7 * DAY],
  ["30 days", 30 * DAY],
];

export function BanUser({ busy, ban }: { busy: boolean; ban: (reason: string, seconds: number) => void }) {
  const [reason, setReason] = useState("");
  const [seconds, setSeconds] = useState(0);
  return (
    <Form label="Ban user" onSubmit={() => ban(reason.trim(), seconds)}>
      <Field label="Reason for the ban" name="ban-reason" value={reason} onInput={setReason} />
      <div class="field">
        <label for="ban-length">Ban for</label>
        <select
          id="ban-length"
          value={String(seconds)}
          onChange={(e) => setSeconds(Number(e.currentTarget.value))}
        >
          {LENGTHS.map(([label, value]) => (
            <option key={value} value={String(value)}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <Button kind="danger" busy={busy}>
        Ban and sign out
      </Button>
    </Form>
  );
}
