/** How long a client's metadata document is trusted before it is fetched again. */
import { describe, expect, it } from "vitest";
import { DocumentCache, freshSeconds } from "../../worker/auth/plugins/oauth-provider/cimd/document-cache.ts";

const bounds = { minSeconds: 60, maxSeconds: 3600, defaultSeconds: 300, maxEntries: 2 };

describe("the CIMD document cache", () => {
  it("follows max-age within the bounds", () => {
    expect(freshSeconds("public, max-age=600", bounds)).toBe(600);
    expect(freshSeconds("max-age=5", bounds)).toBe(60);
    expect(freshSeconds("max-age=999999", bounds)).toBe(3600);
    expect(freshSeconds("no-store", bounds)).toBe(60);
    expect(freshSeconds(null, bounds)).toBe(300);
  });

  it("forgets a document once its time is up", () => {
    const cache = new DocumentCache(bounds);
    cache.remember("https://a.example/c.json", "max-age=120", 0);
    expect(cache.isFresh("https://a.example/c.json", 119_000)).toBe(true);
    expect(cache.isFresh("https://a.example/c.json", 120_000)).toBe(false);
  });

  it("keeps at most maxEntries, dropping the oldest", () => {
    const cache = new DocumentCache(bounds);
    for (const name of ["a", "b", "c"]) cache.remember(`https://${name}.example/c.json`, null, 0);
    expect(cache.size).toBe(2);
    expect(cache.isFresh("https://a.example/c.json", 1)).toBe(false);
    expect(cache.isFresh("https://c.example/c.json", 1)).toBe(true);
  });
});
