/** Deleting a user, never in one click: a first button opens a confirmation that wants a ticked box. */
import { useState } from "preact/hooks";
import { Button, Check, Form } from "../components/ui.tsx";

export function DeleteUser({ email, busy, remove }: { email: string; busy: boolean; remove: () => void }) {
  const [open, setOpen] = useState(false);
  const [sure, setSure] = useState(false);
  if (!open) {
    return (
      <Button kind="danger" type="button" onClick={() => setOpen(true)}>
        Delete user…
      </Button>
    );
  }
  return (
    <Form label="Confirm user deletion" onSubmit={remove}>
      <Check
        name="delete-user-sure"
        label={`I understand ${email} is deleted for good`}
        required
        checked={sure}
        onChange={setSure}
      />
      <div class="actions">
        <Button kind="danger" busy={busy}>
          Delete for good
        </Button>
        <Button kind="secondary" type="button" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </Form>
  );
}
