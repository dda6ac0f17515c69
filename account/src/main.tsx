/** The Account SPA's entry: one bundle, the page chosen by location.pathname (a handful of pages, no router). */
import type { FunctionComponent } from "preact";
import { render } from "preact";
import { AdminPage } from "./admin/admin-page.tsx";
import { ImpersonationBanner } from "./admin/impersonation-banner.tsx";
import { setAuthBasePath } from "./api.ts";
import { Layout, Notice } from "./components/ui.tsx";
import { AcceptInvitationPage } from "./pages/accept-invitation.tsx";
import { AccountPage } from "./pages/account.tsx";
import { ConsentPage } from "./pages/consent.tsx";
import { LoginPage } from "./pages/login.tsx";
import { ResetPasswordPage } from "./pages/reset-password.tsx";
import { hasPlugin, readStack, type StackInfo } from "./stack.ts";

const PAGES: Record<string, FunctionComponent<{ stack: StackInfo }>> = {
  "/login": LoginPage,
  "/consent": ConsentPage,
  "/account": AccountPage,
  "/account/admin": AdminPage,
  "/accept-invitation": AcceptInvitationPage,
  "/reset-password": ResetPasswordPage,
};

const TITLES: Record<string, string> = {
  "/login": "Sign in",
  "/consent": "Allow access",
  "/account": "Your account",
  "/account/admin": "Manage users",
  "/accept-invitation": "Invitation",
  "/reset-password": "Choose a new password",
};

const root = document.getElementById("app") as HTMLElement;
const stack = readStack();
setAuthBasePath(stack.authBasePath);
const path = location.pathname.replace(/\/+$/, "") || "/";
const Page = PAGES[path];
document.title = `${TITLES[path] ?? "Not found"} · ${stack.appName}`;
render(
  Page ? (
    <>
      {hasPlugin(stack, "admin") && <ImpersonationBanner />}
      <Page stack={stack} />
    </>
  ) : (
    <Layout appName={stack.appName} title="Page not found">
      <Notice kind="error">
        There is no page here. <a href="/account">Go to your account</a>
      </Notice>
    </Layout>
  ),
  root,
);
