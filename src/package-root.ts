/** Where authform's own files live (worker/, account/, migrations/), whatever directory the program runs from. */
import path from "node:path";

export const PACKAGE_ROOT = path.resolve(import.meta.dirname, "..");
export const WORKER_DIR = path.join(PACKAGE_ROOT, "worker");
export const ACCOUNT_DIR = path.join(PACKAGE_ROOT, "account");
export const MIGRATIONS_DIR = path.join(PACKAGE_ROOT, "migrations");
