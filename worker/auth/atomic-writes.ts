/**
 * Makes Better Auth's multi-row writes all-or-nothing on D1. Better Auth runs sign-up (user, then
 * account, then session) inside `adapter.transaction`, but D1 has no interactive transactions, so the
 * drizzle adapter runs it as-is: when the account insert fails, the user row stays behind and that
 * email can never sign up again. This wrapper records every row the transaction creates and, if it
 * throws, deletes them again (newest first) before passing the error on.
 */
import type { DBAdapter, DBTransactionAdapter } from "@better-auth/core/db/adapter";
import type { BetterAuthOptions } from "better-auth";

type AdapterFactory = (options: BetterAuthOptions) => DBAdapter<BetterAuthOptions>;

export function compensatingTransactions<F extends AdapterFactory>(factory: F): F {
  const wrapped = (options: BetterAuthOptions) => {
    const adapter = factory(options);
    const runAsIs = adapter.transaction;
    // Mutated in place: Better Auth keys its schema check on this object's identity.
    adapter.transaction = (callback) =>
      runAsIs(async (trx) => {
        const created: { model: string; id: string }[] = [];
        const recording: DBTransactionAdapter<BetterAuthOptions> = {
          ...trx,
          create: async <T extends Record<string, unknown>, R = T>(
            args: Parameters<typeof trx.create<T, R>>[0],
          ) => {
            const row = await trx.create<T, R>(args);
            const id = (row as { id?: unknown } | null)?.id;
            if (typeof id === "string") created.push({ model: args.model, id });
            return row;
          },
        };
        try {
          return await callback(recording);
        } catch (error) {
          for (const { model, id } of created.reverse()) {
            try {
              await trx.delete({ model, where: [{ field: "id", value: id }] });
            } catch (cleanup) {
              // The original failure is what the caller needs; the leftover is for the operator.
              console.error(`authform: could not undo ${model} ${id} after a failed write:`, cleanup);
            }
          }
          throw error;
        }
      });
    return adapter;
  };
  return wrapped as F;
}
