import { describe, expect, it } from "vitest";
import { capabilityProblem, denialCovers, matchesCapability } from "../../../src/tools/capabilities.js";
import { capabilityHost, parseHost } from "../../../src/tools/address.js";
import { validateSource } from "../../../src/ir/validate.js";

// Capability patterns: host wildcards stand for whole DNS labels to the left of a
// domain, addresses are compared in canonical form, a deny of one loopback spelling
// denies them all, and non-network capabilities keep their dotted-prefix wildcards.

const N = "network.http_client.";

describe("host patterns match whole labels", () => {
  it.each([
    ["*.example.com", "api.example.com", true],
    ["*.example.com", "a.b.example.com", true],
    ["*.example.com", "example.com", false],
    ["*.example.com", "api.example.com.attacker.invalid", false],
    ["*.example.com", "apiexample.com", false],
    ["*.example.com", "api-example.com", false],
    ["api.*", "api.attacker.invalid", false],
    ["api.*", "api", false],
    ["example.com.*", "example.com.attacker.invalid", false],
    ["example.com.*", "api.example.com", true],
    ["*", "anything.at.all", true],
    ["*", "127.0.0.1", true],
    ["*", "--1", true],
    ["*.0.0.1", "127.0.0.1", false],
    ["*.localhost", "app.localhost", true],
    ["api.example.com", "api.example.com", true],
    ["api.example.com", "api.example.com.attacker.invalid", false],
    ["127.1", "127.0.0.1", true],
    ["2130706433", "127.0.0.1", true],
    ["--1", "--1", true],
    ["0-0-0-0-0-0-0-1", "--1", true],
    ["loopback", "127.9.9.9", true],
    ["loopback", "--1", true],
    ["loopback", "0.0.0.0", true],
    ["loopback", "example.com", false],
    ["private", "10.1.2.3", true],
    ["private", "172.31.0.1", true],
    ["private", "172.32.0.1", false],
    ["private", "fd00--5", true],
    ["link_local", "169.254.169.254", true],
    ["link_local", "fe80--1", true],
  ])("network.http_client.%s matches network.http_client.%s: %s", (pattern, host, expected) => {
    expect(matchesCapability(N + pattern, N + host)).toBe(expected);
  });

  it("non-network capabilities keep dotted-prefix wildcards", () => {
    expect(matchesCapability("payments.*", "payments.charge")).toBe(true);
    expect(matchesCapability("payments.*", "payments")).toBe(false);
    expect(matchesCapability("payments.*", "paymentsx.charge")).toBe(false);
    expect(matchesCapability("storage.kv.read", "storage.kv.read")).toBe(true);
    expect(matchesCapability("storage.kv.read", "storage.kv.write")).toBe(false);
    expect(matchesCapability("network.*", `${N}api.example.com`)).toBe(true);
  });
});

describe("denies of addresses", () => {
  const grants = (denied: string[]) => ({ required: [`${N}*`], denied });

  it("a deny of 127.0.0.1 denies every loopback spelling and says so", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "0.0.0.0", "--1", "--", "localhost", "app.localhost"]) {
      expect(capabilityProblem(N + host, grants([`${N}127.0.0.1`]))).toContain(`by '${N}127.0.0.1'`);
    }
    expect(capabilityProblem(`${N}--1`, grants([`${N}127.0.0.1`]))).toContain(
      "(a deny of one loopback address or alias denies them all)",
    );
  });

  it("a deny of another address denies that address only", () => {
    expect(capabilityProblem(`${N}10.0.0.1`, grants([`${N}10.0.0.1`]))).toContain("denied");
    expect(capabilityProblem(`${N}10.0.0.2`, grants([`${N}10.0.0.1`]))).toBeUndefined();
    expect(capabilityProblem(`${N}127.0.0.1`, grants([`${N}10.0.0.1`]))).toBeUndefined();
  });

  it("a grant of one address grants that address only (in any spelling)", () => {
    const only = { required: [`${N}127.0.0.1`], denied: [] };
    expect(capabilityProblem(`${N}127.0.0.1`, only)).toBeUndefined();
    expect(capabilityProblem(`${N}--1`, only)).toContain("is not in security.capabilities_required");
    expect(capabilityProblem(`${N}localhost`, only)).toContain("is not in security.capabilities_required");
  });

  it.each([
    [`${N}*.com`, `${N}*.example.com`, true],
    [`${N}*`, `${N}*.example.com`, true],
    ["network.*", `${N}*.example.com`, true],
    [`${N}*.example.com`, `${N}*.com`, false],
    [`${N}*.example.com`, `${N}*`, false],
    [`${N}127.0.0.1`, `${N}localhost`, true],
    [`${N}*.example.com`, `${N}api.example.com`, true],
    ["payments.*", "payments.charge", true],
    ["payments.*", "payments.*", true],
    ["payments.charge", "payments.*", false],
  ])("denied %s covers required %s: %s", (deny, required, expected) => {
    expect(denialCovers(deny, required)).toBe(expected);
  });
});

describe("hosts are canonical before they are matched", () => {
  it.each([
    ["2130706433", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["127.0.0.1.", "127.0.0.1"],
    ["[::ffff:127.0.0.1]", "127.0.0.1"],
    ["::ffff:7f00:1", "127.0.0.1"],
    ["[0:0:0:0:0:0:0:1]", "--1"],
    ["[::]", "--"],
    ["fe80::1%eth0", "fe80--1"],
    ["[2001:DB8:0:0:0:0:0:1]", "2001-db8--1"],
    ["Example.COM.", "example.com"],
    ["bücher.example", "xn--bcher-kva.example"],
  ])("%s is %s", (raw, canonical) => {
    const h = parseHost(raw);
    expect(h && capabilityHost(h)).toBe(canonical);
  });

  it.each(["", "a b", "a/b", "user@host", "[::g]", "999.1.1.1"])("%j is no host", (raw) => {
    expect(parseHost(raw)).toBeUndefined();
  });
});

describe("the validator (V500) reads host patterns the same way", () => {
  const nodeWith = (security: string) => `node_id: net.caps@1.0.0
type: handler
outputs:
  success:
    ok: boolean
flow:
  - step: done
    op: return
    output: success
    values:
      ok: "true"
security:
${security}
`;
  const v500 = (security: string) =>
    validateSource("caps.vsp", nodeWith(security))
      .diagnostics.filter((d) => d.code === "V500")
      .map((d) => d.message);

  it("accepts *.example.com, *, addresses, IPv6 with dashes and the range names", () => {
    expect(
      v500(
        `  capabilities_required: [${N}*.example.com, ${N}*, ${N}127.0.0.1, ${N}--1]\n  denied_capabilities: [${N}private, ${N}link_local]`,
      ),
    ).toEqual([]);
  });

  it("refuses a wildcard after a host, and says what to write", () => {
    expect(v500(`  capabilities_required: [${N}api.*]`)).toEqual([
      `malformed capability '${N}api.*': a host wildcard stands for whole labels to the left of a domain, so 'api.*' could only mean subdomains of 'api' (never api.attacker.invalid); write '*.api' for those, or name the hosts`,
    ]);
  });

  it("refuses a wildcard inside a host", () => {
    expect(v500(`  capabilities_required: [${N}api.*.example.com]`)[0]).toContain(
      "'*' for every host, or '*.' before a domain for its subdomains",
    );
  });

  it("names a required host that a denied address takes away, whatever its spelling", () => {
    expect(v500(`  capabilities_required: [${N}localhost]\n  denied_capabilities: [${N}127.0.0.1]`)).toEqual([
      `capability '${N}localhost' is required but denied by '${N}127.0.0.1'`,
    ]);
    expect(v500(`  capabilities_required: [${N}*.example.com]\n  denied_capabilities: [${N}*.com]`)).toEqual([
      `capability '${N}*.example.com' is required but denied by '${N}*.com'`,
    ]);
  });
});
