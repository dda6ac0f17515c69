/** Users for stack tests: signed up by email + password, each with a cookie-keeping Session. */
import { Session } from "./http.ts";

export const TEST_PASSWORD = "correct horse battery";

export interface TestUser {
  browser: Session;
  id: string;
  email: string;
}

/** Signs `name` up on the stack at `baseUrl` (default address `<name>@example.com`); throws with the body unless 200. */
export async function signUpUser(
  baseUrl: string,
  name: string,
  email = `${name.toLowerCase()}@example.com`,
): Promise<TestUser> {
  const browser = new Session(baseUrl);
  const res = await browser.post("/auth/v1/sign-up/email", { name, email, password: TEST_PASSWORD });
  if (res.status !== 200) throw new Error(`sign-up of ${email}: ${res.status} ${await res.text()}`);
  return { browser, email, id: ((await res.json()) as { user: { id: string } }).user.id };
}
