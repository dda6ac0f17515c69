/**
 * "Continue with <provider>" with its mark: Better Auth's social sign-in (built-in and genericOAuth
 * providers alike), back to `target`, or to /login with `?error=`.
 */
import { post } from "../api.ts";
import type { StackInfo } from "../stack.ts";
import { ProviderIcon } from "./provider-icon.tsx";
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
        <ProviderIcon id={provider.id} />
        Continue with {provider.label}
      </Button>
    </div>
  );
}
