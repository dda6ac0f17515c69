/** Which hosts a client ID metadata document may be fetched from, and which client_ids are document URLs. */
import { describe, expect, it } from "vitest";
import {
  classifyHost,
  isFetchableHost,
} from "../../worker/auth/plugins/oauth-provider/cimd/address-filter.ts";
import { documentUrl } from "../../worker/auth/plugins/oauth-provider/cimd/document-url.ts";

const hostOf = (url: string) => new URL(url).hostname;

describe("the address filter outside local mode", () => {
  it.each([
    ["http://127.0.0.1/", "loopback"],
    ["http://127.1/", "loopback"],
    ["http://0x7f.0.0.1/", "loopback"],
    ["http://localhost/", "loopback"],
    ["http://[::1]/", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://10.1.2.3/", "refused"],
    ["http://172.16.0.1/", "refused"],
    ["http://172.31.255.255/", "refused"],
    ["http://192.168.1.1/", "refused"],
    ["http://169.254.169.254/", "refused"],
    ["http://100.64.0.1/", "refused"],
    ["http://0.0.0.0/", "refused"],
    ["http://[fe80::1]/", "refused"],
    ["http://[fd00::1]/", "refused"],
    ["http://[::ffff:10.0.0.1]/", "refused"],
    ["http://[::]/", "refused"],
    ["http://metadata.google.internal/", "refused"],
    ["http://app.localhost/", "refused"],
    ["http://printer.local/", "refused"],
    ["http://intranet/", "refused"],
    ["http://172.32.0.1/", "public"],
    ["http://8.8.8.8/", "public"],
    ["http://[2606:4700::1111]/", "public"],
    ["http://client.example.com/", "public"],
  ])("%s is %s", (url, verdict) => {
    expect(classifyHost(hostOf(url))).toBe(verdict);
  });

  it("fetches only public hosts; loopback only in local mode, private never", () => {
    expect(isFetchableHost("127.0.0.1", false)).toBe(false);
    expect(isFetchableHost("127.0.0.1", true)).toBe(true);
    expect(isFetchableHost("10.0.0.1", true)).toBe(false);
    expect(isFetchableHost("169.254.169.254", true)).toBe(false);
    expect(isFetchableHost("client.example.com", false)).toBe(true);
  });
});

describe("client_id as a document URL", () => {
  it("takes an https URL with a path", () => {
    expect(documentUrl("https://client.example.com/oauth/client.json", false)).toBeInstanceOf(URL);
  });

  it.each([
    ["https://client.example.com/", false, /path/],
    ["https://client.example.com/a.json#x", false, /fragment/],
    ["https://user:pw@client.example.com/a.json", false, /user info/],
    ["https://client.example.com/x/../a.json", false, /normal form/],
    ["https://CLIENT.example.com/a.json", false, /normal form/],
    ["http://client.example.com/a.json", false, /https/],
    ["http://client.example.com/a.json", true, /loopback/],
    ["http://127.0.0.1:9000/a.json", false, /https/],
    ["https://127.0.0.1:9000/a.json", false, /public/],
    ["https://10.0.0.8/a.json", false, /public/],
    ["https://169.254.169.254/latest/meta-data", true, /public/],
  ])("refuses %s (local mode %s)", (clientId, local, reason) => {
    const result = documentUrl(clientId, local);
    expect(typeof result).toBe("string");
    expect(result).toMatch(reason);
  });

  it("takes http on loopback in local mode only", () => {
    expect(documentUrl("http://127.0.0.1:9000/client.json", true)).toBeInstanceOf(URL);
    expect(typeof documentUrl("http://127.0.0.1:9000/client.json", false)).toBe("string");
  });
});
