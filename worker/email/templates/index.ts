/** The email templates: HTML + plain text, branded with APP_NAME / APP_URL / EMAIL_FROM_NAME, every value escaped. */
export * from "./account-deleted-email.ts";
export * from "./auth-emails.ts";
export * from "./email-change-emails.ts";
export * from "./failed-sign-ins-email.ts";
export type { EmailBlock, EmailBrand, EmailContent, EmailDraft } from "./layout.ts";
export { renderEmail } from "./layout.ts";
