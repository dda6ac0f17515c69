/** A local stack with Google and GitHub sign-in, each provider a stand-in on loopback (AUTHFORM_SOCIAL_LOOPBACK). */
import { type GitHubStandIn, startGitHubStandIn } from "./github-stand-in.ts";
import { type GoogleAccount, type GoogleStandIn, startGoogleStandIn } from "./google-oidc-stand-in.ts";
import { freePort, localEnv, type RunningStack, startStack } from "./stack.ts";

export const SOCIAL_APP = "social-test";
const SOCIAL_CONFIG = "test/fixtures/social.config.ts";
const GOOGLE = { clientId: "google-client.apps.test", clientSecret: "google-secret-0123456789" };
const GITHUB = { clientId: "Iv1.githubclient", clientSecret: "github-secret-0123456789" };

export interface SocialStack {
  stack: RunningStack;
  google: GoogleStandIn;
  github: GitHubStandIn;
  /** Stops the stack and closes the stand-ins (the run destroys the stage after its last file). */
  stop(): Promise<void>;
}

/** `config`: a fixture with Google and GitHub among its socialProviders (social.config.ts by default). */
export async function startSocialStack(
  stage: string,
  googleAccounts: GoogleAccount[],
  config = SOCIAL_CONFIG,
): Promise<SocialStack> {
  const configArgs = ["--config", config];
  const port = await freePort();
  // The callback URLs registered at the providers: the stack's own, as its dashboard would list them.
  const callback = (id: string) => `http://localhost:${port}/auth/v1/callback/${id}`;
  const google = await startGoogleStandIn({ ...GOOGLE, callbackUrl: callback("google") }, googleAccounts);
  const github = await startGitHubStandIn({ ...GITHUB, callbackUrl: callback("github") });
  const stack = await startStack(stage, {
    port,
    args: configArgs,
    env: localEnv({
      GOOGLE_CLIENT_ID: GOOGLE.clientId,
      GOOGLE_CLIENT_SECRET: GOOGLE.clientSecret,
      GITHUB_CLIENT_ID: GITHUB.clientId,
      GITHUB_CLIENT_SECRET: GITHUB.clientSecret,
      AUTHFORM_SOCIAL_LOOPBACK: `google=${google.origin},github=${github.origin}`,
    }),
  }).catch(async (err: unknown) => {
    await Promise.all([google.close(), github.close()]);
    throw err;
  });
  return {
    stack,
    google,
    github,
    stop: async () => {
      await stack.stop();
      await Promise.all([google.close(), github.close()]);
    },
  };
}
