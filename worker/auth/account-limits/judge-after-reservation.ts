/**
 * The per-account reservation and Better Auth's per-IP count, side by side. The middleware starts an
 * attempt's reservation (middleware.ts) and lets the request go on without waiting for it; Better
 * Auth counts the address meanwhile, then this plugin's before-hook, the first Better Auth runs,
 * waits for the reservation before anything is judged. Two D1 round trips that ran one after the
 * other now overlap; nothing is judged before the account's reservation is known.
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { requestSlot } from "../../middleware/request-state.ts";
import type { Reservation } from "./attempt-store.ts";

/**
 * The request's pending reservation. It holds only the D1 call's promise (no closure over Hono's
 * context or the response: request-state.ts says why that matters).
 */
export const pendingReservation = requestSlot<Promise<Reservation>>("account reservation");

export function judgeAfterReservation(): BetterAuthPlugin {
  return {
    id: "authform-judge-after-reservation",
    hooks: {
      before: [
        {
          // Only requests the middleware reserved for; the rest pay one slot read.
          matcher: () => pendingReservation.get() !== undefined,
          handler: createAuthMiddleware(async () => {
            const reservation = await pendingReservation.get();
            // Turned away: stop before the endpoint; the middleware answers with its own 429.
            if (reservation && !reservation.allowed) throw new APIError("TOO_MANY_REQUESTS");
          }),
        },
      ],
    },
  };
}
