/** "Continue with <provider>": Better Auth's social sign-in, back to `target`, or to /login with `?error=`. */
import { post } from "../api.ts";
import type { StackInfo } from "../stack.ts";
import { Button, Notice, useAction } from "./ui.tsx";

export function SocialButton({
  provider,
  target,
  finish,
}: {
  provider: StackInfo["socialProviders"][number];
  target: string;
  finish: (answer: unknown) => void;
}) {
  const { busy, error, run } = useAction();
  const start = () =>
    run(async () => {
      const errorCallbackURL = new URL("/login", location.href).href;
      finish(await post("/sign-in/social", { provider: provider.id, callbackURL: target, errorCallbackURL }));
    });
  return (
    <div>
      {error && <Notice kind="error">{error}</Notice>}
      <Button busy={busy} kind="secondary" type="button" onClick={start}>
        Continue with {provider.label}
      </Button>
    </div>
  );
}
