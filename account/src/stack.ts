/** The stack this page belongs to, as the Worker rendered it into <meta name="authform-stack">. */
import type { SignInMethod } from "../../src/contract/plugins.ts";
import type { StackInfo } from "../../worker/account/stack-info.ts";

export type { StackInfo };

export function readStack(): StackInfo {
  const content = document.querySelector('meta[name="authform-stack"]')?.getAttribute("content");
  if (!content) throw new Error("This page was not served by an authform Worker (no stack description).");
  return JSON.parse(content) as StackInfo;
}

export function hasPlugin(stack: StackInfo, name: string): boolean {
  return stack.plugins.includes(name);
}

/** Whether an enabled plugin signs people in this way (the catalogue's sign-in method, worker/account/stack-info.ts). */
export function offers(stack: StackInfo, method: SignInMethod): boolean {
  return stack.signInMethods.includes(method);
}
