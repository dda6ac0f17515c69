/** The Worker's bindings and vars, exactly as the plan gives them. */
export interface WorkerEnv {
  DB: D1Database;
  BETTER_AUTH_SECRET: string;
  BETTER_AUTH_URL: string;
  ACCOUNT_URL: string;
  APP_URL: string;
  APP_NAME: string;
  AUTHFORM_STAGE: string;
  AUTHFORM_MODE: "local" | "deploy";
  /** During a secret rotation: the previous secret, so fast-path tokens it signed keep verifying. */
  AUTHFORM_JWT_PREVIOUS_SECRET?: string;
  EMAIL_FROM?: string;
  EMAIL_FROM_NAME?: string;
  EMAIL_REPLY_TO?: string;
}
