/**
 * Each sign-in provider's mark as an SVG <symbol>, put into the Account pages' shell by the Worker
 * (worker/account/routes.ts, `%AUTHFORM_ICONS%`) for the configured providers only; the "Continue
 * with …" buttons <use> them. Self-hosted and inline: nothing is fetched, the SPA's JavaScript stays
 * under its size cap, and the strict CSP holds (presentation attributes only, no style). A generic
 * OAuth/OIDC provider gets a neutral sign-in mark. Paths are rounded to one decimal (invisible at 18 px).
 */

/** A provider's viewBox and its shapes as [fill, path]; `currentColor` follows the button's text (dark mode too). */
type Icon = [viewBox: string, shapes: [fill: string, d: string][]];

const ICONS: Record<string, Icon> = {
  google: [
    "0 0 48 48",
    [
      [
        "#EA4335",
        "M24 9.5c3.5 0 6.7 1.2 9.2 3.6l6.8-6.8C35.9 2.4 30.5 0 24 0 14.6 0 6.5 5.4 2.6 13.2l8 6.2C12.4 13.7 17.7 9.5 24 9.5z",
      ],
      [
        "#4285F4",
        "M47 24.6c0-1.6-.1-3.1-.4-4.5H24v9h12.9c-.6 3-2.3 5.5-4.8 7.2l7.7 6c4.5-4.2 7.1-10.4 7.1-17.6z",
      ],
      [
        "#FBBC05",
        "M10.5 28.6c-.5-1.4-.8-3-.8-4.6s.3-3.1.8-4.6l-8-6.2C.9 16.5 0 20.1 0 24c0 3.9.9 7.5 2.6 10.8l8-6.2z",
      ],
      [
        "#34A853",
        "M24 48c6.5 0 11.9-2.1 15.9-5.8l-7.7-6c-2.1 1.4-4.9 2.3-8.2 2.3-6.3 0-11.6-4.2-13.5-9.9l-8 6.2C6.5 42.6 14.6 48 24 48z",
      ],
    ],
  ],
  github: [
    "0 0 16 16",
    [
      [
        "currentColor",
        "M8 0C3.6 0 0 3.6 0 8c0 3.5 2.3 6.5 5.5 7.6.4.1.6-.2.6-.4 0-.2 0-.8 0-1.5-2 .4-2.5-.5-2.7-.9-.1-.2-.5-.9-.8-1.1-.3-.1-.7-.5 0-.5.6 0 1.1.6 1.2.8.7 1.2 1.9.9 2.3.7.1-.5.3-.9.5-1.1-1.8-.2-3.6-.9-3.6-4 0-.9.3-1.6.8-2.1-.1-.2-.4-1 .1-2.1 0 0 .7-.2 2.2.8.6-.2 1.3-.3 2-.3.7 0 1.4.1 2 .3 1.5-1 2.2-.8 2.2-.8.4 1.1.2 1.9.1 2.1.5.6.8 1.3.8 2.1 0 3.1-1.9 3.8-3.6 4 .3.2.5.7.5 1.5 0 1.1 0 1.9 0 2.2 0 .2.1.5.6.4A8 8 0 0 0 16 8c0-4.4-3.6-8-8-8z",
      ],
    ],
  ],
  apple: [
    "0 0 24 24",
    [
      [
        "currentColor",
        "M12.2 6.9c-.9 0-2.4-1.1-4-1-2 0-3.9 1.2-5 3-2.1 3.7-.5 9.1 1.5 12.1 1 1.5 2.2 3.1 3.8 3 1.5-.1 2.1-1 3.9-1 1.8 0 2.4 1 4 .9 1.6 0 2.7-1.5 3.7-2.9 1.2-1.7 1.6-3.3 1.7-3.4 0 0-3.2-1.2-3.2-4.9 0-3 2.5-4.5 2.6-4.6-1.4-2.1-3.6-2.3-4.4-2.4-2-.2-3.7 1.1-4.6 1.1zM15.5 3.8c.8-1 1.4-2.4 1.2-3.8-1.2.1-2.7.8-3.5 1.8-.8.9-1.5 2.3-1.3 3.7 1.3.1 2.7-.7 3.6-1.7",
      ],
    ],
  ],
  microsoft: [
    "0 0 21 21",
    [
      ["#F25022", "M1 1h9v9H1z"],
      ["#7FBA00", "M11 1h9v9h-9z"],
      ["#00A4EF", "M1 11h9v9H1z"],
      ["#FFB900", "M11 11h9v9h-9z"],
    ],
  ],
  discord: [
    "0 0 24 24",
    [
      [
        "#5865F2",
        "M20.3 4.4a19.8 19.8 0 0 0-4.9-1.5.1.1 0 0 0-.1 0c-.2.4-.4.9-.6 1.2-1.8-.3-3.7-.3-5.5 0-.2-.4-.4-.9-.6-1.2a.1.1 0 0 0-.1 0 19.7 19.7 0 0 0-4.9 1.5.1.1 0 0 0 0 0C.5 9-.3 13.6.1 18.1a.1.1 0 0 0 0 .1c2.1 1.5 4 2.4 6 3a.1.1 0 0 0 .1 0c.5-.6.9-1.3 1.2-2a.1.1 0 0 0 0-.1c-.7-.2-1.3-.5-1.9-.9a.1.1 0 0 1 0-.1c.1-.1.3-.2.4-.3a.1.1 0 0 1 .1 0c3.9 1.8 8.2 1.8 12.1 0a.1.1 0 0 1 .1 0c.1.1.2.2.4.3a.1.1 0 0 1 0 .1 12.3 12.3 0 0 1-1.9.9.1.1 0 0 0 0 .1c.4.7.8 1.4 1.2 2a.1.1 0 0 0 .1 0c2-.6 3.9-1.5 6-3a.1.1 0 0 0 0-.1c.5-5.2-.8-9.7-3.5-13.7a.1.1 0 0 0 0 0zM8 15.3c-1.2 0-2.2-1.1-2.2-2.4 0-1.3 1-2.4 2.2-2.4 1.2 0 2.2 1.1 2.2 2.4 0 1.3-1 2.4-2.2 2.4zm8 0c-1.2 0-2.2-1.1-2.2-2.4 0-1.3 1-2.4 2.2-2.4 1.2 0 2.2 1.1 2.2 2.4 0 1.3-.9 2.4-2.2 2.4Z",
      ],
    ],
  ],
};

/** A door with an arrow into it: signing in elsewhere, for providers without a mark here. */
const GENERIC: Icon = [
  "0 0 24 24",
  [["none", "M15 3h4a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2h-4M10 17l5-5-5-5M15 12H3"]],
];

/** The symbols for these providers (ids are the catalogue's or a validated genericOAuth providerId). */
export function iconSprite(providers: { id: string }[]): string {
  if (providers.length === 0) return "";
  const symbols = providers.map(({ id }) => {
    const known = Object.hasOwn(ICONS, id);
    const [viewBox, shapes] = known ? (ICONS[id] as Icon) : GENERIC;
    const paths = shapes
      .map(([fill, d]) =>
        fill === "none"
          ? `<path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="${d}"/>`
          : `<path fill="${fill}" d="${d}"/>`,
      )
      .join("");
    return `<symbol id="provider-icon-${id}" data-mark="${known ? id : "generic"}" viewBox="${viewBox}">${paths}</symbol>`;
  });
  return `<svg class="provider-icons" width="0" height="0" aria-hidden="true">${symbols.join("")}</svg>`;
}
