import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingServer, type CountingServer } from "../../helpers/counting-server.js";
import { inputs, node, runAll, type ThreeRuns } from "../../helpers/runtimes.js";
import { parseHost } from "../../../src/tools/address.js";
import { systemLookup, type HostLookup } from "../../../src/tools/resolved-denies.js";
import { fetchNodeText } from "../../helpers/fetch-node.js";

// The address-bypass table (issue #16): with loopback denied, no spelling of a
// loopback address, and no name that resolves to one, reaches a real local server
// on either runtime (the server counts what arrives: 0); allowed hosts still work.

const fetcher = (security: string) => node(fetchNodeText("bypass", security));

const ALL_HOSTS = "  capabilities_required: [network.http_client.*]";
const denying = (deny: string) => fetcher(`${ALL_HOSTS}\n  denied_capabilities: [${deny}]`);

/** Every way of writing an address on this machine that the table tries. */
const LOOPBACK_SPELLINGS = [
  "127.0.0.1",
  "127.1",
  "127.0.1",
  "2130706433",
  "017700000001",
  "0x7f000001",
  "0x7f.1",
  "0x7F.0.0.1",
  "0177.0.0.1",
  "0177.1",
  "%31%32%37.0.0.1",
  "127.0.0.1.",
  "127.0.0.2",
  "127.255.255.254",
  "0.0.0.0",
  "0",
  "0x0",
  "[::ffff:127.0.0.1]",
  "[::FFFF:127.0.0.1]",
  "[::ffff:7f00:1]",
  "[0:0:0:0:0:ffff:7f00:1]",
  "[::ffff:0.0.0.0]",
  "[::127.0.0.1]",
  "[::1]",
  "[0:0:0:0:0:0:0:1]",
  "[0::1]",
  "[::]",
  "localhost",
  "LOCALHOST.",
  "app.localhost",
];

const DENIES = [
  "network.http_client.127.0.0.1",
  "network.http_client.loopback",
  "network.http_client.localhost",
  "network.http_client.--1",
  "network.http_client.2130706433",
];

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
afterAll(() => server.close());

const url = (host: string) => `http://${host}:${server.port}/secret`;

function expectRefused(runs: ThreeRuns, ...mentions: string[]): void {
  for (const r of Object.values(runs)) {
    expect(r.status).toBe("runtime_error");
    expect(r.failure!.code).toBe("R201");
    expect(r.failure!.message).toContain("nothing was called");
    for (const m of mentions) expect(r.failure!.message).toContain(m);
  }
}

describe("a node that denies loopback reaches the local server by no spelling of it", () => {
  for (const deny of DENIES) {
    it.each(LOOPBACK_SPELLINGS)(
      `with ${deny} denied, http://%s is refused (R201) and the server sees nothing`,
      async (host) => {
        const before = server.seen.length;
        const runs = await runAll(denying(deny), inputs({ url: url(host) }));
        expectRefused(runs, `denied to this node by '${deny}'`);
        expect(server.seen.slice(before)).toEqual([]);
      },
    );
  }

  // This machine's own name, and others that the system resolver maps to loopback
  // (in /etc/hosts): the check resolves them exactly as the request would.
  it("a name that the system resolves to loopback is refused, naming the name and the address", async () => {
    const before = server.seen.length;
    const names: string[] = [];
    for (const name of [hostname(), "ip6-localhost", "ip6-loopback", "localhost.localdomain"]) {
      const addresses = await systemLookup(name).catch(() => []);
      if (addresses.length > 0 && addresses.every((a) => parseHost(a)?.classes.includes("loopback"))) names.push(name);
    }
    for (const name of names) {
      const runs = await runAll(denying("network.http_client.127.0.0.1"), inputs({ url: url(name) }));
      expectRefused(runs, `the host '${name.toLowerCase()}' resolves to `, "'network.http_client.127.0.0.1'");
    }
    expect(server.seen.slice(before)).toEqual([]);
  });

  it.each([
    [["127.0.0.1"], "127.0.0.1"],
    [["::1"], "::1"],
    [["::ffff:127.0.0.1"], "127.0.0.1"],
    [["0.0.0.0"], "0.0.0.0"],
    [["93.184.216.34", "127.0.0.5"], "127.0.0.5"],
  ])("a name that resolves to %j is refused before fetch, naming %s", async (answer, named) => {
    const asked: string[] = [];
    const lookup: HostLookup = async (host) => {
      asked.push(host);
      return answer;
    };
    const fetched: string[] = [];
    const fetch: typeof globalThis.fetch = async (u) => {
      fetched.push(String(u));
      return new Response("{}", { status: 200 });
    };
    const runs = await runAll(denying("network.http_client.loopback"), inputs({ url: "http://Rebind.Example./x" }), {
      lookup,
      fetch,
    });
    expectRefused(runs, `the host 'rebind.example' resolves to ${named}, which 'network.http_client.loopback'`);
    expect(asked).toEqual(Array(3).fill("rebind.example"));
    expect(fetched).toEqual([]);
  });
});

describe("allowed hosts still work with address denies in force", () => {
  it("the local server answers a node that denies only private and link-local addresses, by address and by name", async () => {
    const p = denying("network.http_client.private, network.http_client.169.254.169.254");
    for (const host of ["127.0.0.1", "localhost"]) {
      const before = server.seen.length;
      const runs = await runAll(p, inputs({ url: url(host) }));
      for (const r of Object.values(runs)) expect(r.status).toBe("success");
      expect(server.seen.length - before).toBe(3);
    }
    if (server.ipv6) {
      const runs = await runAll(p, inputs({ url: url("[::1]") }));
      for (const r of Object.values(runs)) expect(r.status).toBe("success");
    }
  });

  it("a name that resolves to a public address is called, once per runtime", async () => {
    const fetched: string[] = [];
    const fetch: typeof globalThis.fetch = async (u) => {
      fetched.push(String(u));
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    };
    const lookup: HostLookup = async () => ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"];
    const runs = await runAll(denying("network.http_client.127.0.0.1"), inputs({ url: "https://api.example.com/v1" }), {
      lookup,
      fetch,
    });
    for (const r of Object.values(runs)) expect(r.status).toBe("success");
    expect(fetched).toEqual(Array(3).fill("https://api.example.com/v1"));
  });

  it("a name that cannot be resolved is not called: the attempt fails as unavailable and retries apply", async () => {
    let lookups = 0;
    const lookup: HostLookup = async () => {
      lookups++;
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    const fetched: string[] = [];
    const fetch: typeof globalThis.fetch = async (u) => {
      fetched.push(String(u));
      return new Response("{}", { status: 200 });
    };
    const runs = await runAll(denying("network.http_client.loopback"), inputs({ url: "http://nowhere.invalid/" }), {
      lookup,
      fetch,
    });
    for (const r of Object.values(runs)) {
      expect(r.failure!.code).toBe("R202");
      expect(r.failure!.message).toContain("could not resolve nowhere.invalid (ENOTFOUND)");
    }
    expect(lookups).toBe(3);
    expect(fetched).toEqual([]);
  });

  it("a node whose denies name no address makes no lookup at all", async () => {
    const lookup: HostLookup = async () => {
      throw new Error("no lookup was expected");
    };
    const fetch: typeof globalThis.fetch = async () => new Response("{}", { status: 200 });
    const runs = await runAll(
      denying("network.http_client.internal.example.com"),
      inputs({ url: "https://api.example.com/" }),
      {
        lookup,
        fetch,
      },
    );
    for (const r of Object.values(runs)) expect(r.status).toBe("success");
  });
});
