/** The apiKey plugin's settings: the config's options over authform's defaults. */

export interface ApiKeyRateLimit {
  enabled: boolean;
  /** Milliseconds. */
  timeWindow: number;
  maxRequests: number;
}

export interface ApiKeySettings {
  rateLimit: ApiKeyRateLimit;
}

/**
 * Off by default. Better Auth's own default (10 requests a day) breaks any cron job, and its window
 * restarts only after a quiet gap as long as the window: a client calling every 30 s with a
 * 1000-per-minute limit is locked out after ~8 hours. When turned on, 1000 per minute.
 */
export const API_KEY_DEFAULTS: ApiKeySettings = {
  rateLimit: { enabled: false, timeWindow: 60_000, maxRequests: 1000 },
};

export function apiKeySettings(options: Record<string, unknown>): ApiKeySettings {
  const given = (options.rateLimit ?? {}) as Partial<Record<keyof ApiKeyRateLimit, unknown>>;
  const defaults = API_KEY_DEFAULTS.rateLimit;
  return {
    rateLimit: {
      enabled: typeof given.enabled === "boolean" ? given.enabled : defaults.enabled,
      timeWindow: positiveInt(given.timeWindow) ?? defaults.timeWindow,
      maxRequests: positiveInt(given.maxRequests) ?? defaults.maxRequests,
    },
  };
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}
