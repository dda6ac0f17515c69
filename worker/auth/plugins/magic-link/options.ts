/** The magicLink plugin's settings: the config's options over authform's defaults. */

export interface MagicLinkSettings {
  /** Seconds a link stays valid. */
  expiresIn: number;
}

export const MAGIC_LINK_DEFAULTS: MagicLinkSettings = { expiresIn: 300 };

export function magicLinkSettings(options: Record<string, unknown>): MagicLinkSettings {
  const { expiresIn } = options;
  return {
    expiresIn:
      typeof expiresIn === "number" && Number.isInteger(expiresIn) && expiresIn > 0
        ? expiresIn
        : MAGIC_LINK_DEFAULTS.expiresIn,
  };
}
