/** The Account SPA's entry: one bundle, the page chosen by location.pathname (a handful of pages, no router). */
import type { FunctionComponent } from "preact";
import { render } from "preact";
import { AdminPage } from "./admin/admin-page.tsx";
import { ImpersonationBanner } from "./admin/impersonation-banner.tsx";
import { setAuthBasePath } from "./api.ts";
import { Layout, Notice } from "./components/ui.tsx";
import { PAGE_TITLES, type PagePath } from "./page-routes.ts";
import { AcceptInvitationPage } from "./pages/accept-invitation.tsx";
import { AccountPage } from "./pages/account.tsx";
import { ConsentPage } from "./pages/consent.tsx";
import { LoginPage } from "./pages/login.tsx";
import { ResetPasswordPage } from "./pages/reset-password.tsx";
import { hasPlugin, readStack, type StackInfo } from "./stack.ts";

const PAGES: Record<PagePath, FunctionComponent<{ stack: StackInfo }>> = {
  "/login": LoginPage,
  "/consent": ConsentPage,
  "/account": AccountPage,
  "/account/admin": AdminPage,
  "/accept-invitation": AcceptInvitationPage,
  "/reset-password": ResetPasswordPage,
};

const root = document.getElementById("app") as HTMLElement;
const stack = readStack();
setAuthBasePath(stack.authBasePath);
const path = location.pathname.replace(/\/+$/, "") || "/";
// A path always starts with "/", so no inherited property can match.
const known = path in PAGE_TITLES ? (path as PagePath) : undefined;
const Page = known && PAGES[known];
document.title = `${known ? PAGE_TITLES[known] : "Not found"} · ${stack.appName}`;
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
