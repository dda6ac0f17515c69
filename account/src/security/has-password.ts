/** Whether the signed-in account has a password (a "credential" account), asked once per page. */
import { useEffect, useState } from "preact/hooks";
import { get } from "../api.ts";

let asked: Promise<boolean> | undefined;

/** undefined while asking; on a failed answer the forms assume a password, and the server has the last word. */
export function useHasPassword(): boolean | undefined {
  const [has, setHas] = useState<boolean | undefined>();
  useEffect(() => {
    asked ??= get<{ providerId: string }[]>("/list-accounts")
      .then((accounts) => accounts.some((a) => a.providerId === "credential"))
      .catch(() => true);
    void asked.then(setHas);
  }, []);
  return has;
}

/** After "Set a password": the other forms (delete account) ask for it from now on. */
export function passwordWasSet(): void {
  asked = Promise.resolve(true);
}
