import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHost } from "../../src/tools/address.js";
import { capabilityProblem, matchesCapability } from "../../src/tools/capabilities.js";
import { httpRequest } from "../../src/tools/http.js";
import { VRecord } from "../../src/values/values.js";

// Two classes of bypass, as properties: a host wildcard matching a name outside its
// domain, and an IPv4 address written some other way escaping a deny of it.

const N = "network.http_client.";

// Labels that stay names in a URL: a letter first (an all-numeric last label would
// make the host an IPv4 address), and no xn-- (that must be valid punycode).
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/).filter((l) => !l.startsWith("xn--"));
const labels = (min: number, max: number) => fc.array(label, { minLength: min, maxLength: max });

/** The defining rule, on label arrays: the host's labels end with the domain's, and there are more of them. */
function inDomain(host: string[], domain: string[]): boolean {
  if (host.length <= domain.length) return false;
  const tail = host.slice(host.length - domain.length);
  return tail.every((l, i) => l === domain[i]);
}

describe("host wildcards match whole labels to the left of their domain, and nothing else", () => {
  it("*.D and D.* match a host exactly when its labels end with D's and there are more", () => {
    fc.assert(
      fc.property(labels(1, 3), labels(0, 3), labels(0, 3), (domain, left, right) => {
        const host = [...left, ...domain, ...right];
        if (host.length === 0) return;
        const expected = inDomain(host, domain);
        expect(matchesCapability(`${N}*.${domain.join(".")}`, N + host.join("."))).toBe(expected);
        expect(matchesCapability(`${N}${domain.join(".")}.*`, N + host.join("."))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("a host that only starts with (or contains) the domain, with another domain after it, is never matched", () => {
    fc.assert(
      fc.property(labels(1, 3), labels(0, 2), labels(1, 3), (domain, left, attacker) => {
        fc.pre(!inDomain(attacker, domain) && attacker.join(".") !== domain.join("."));
        const host = [...left, ...domain, ...attacker].join(".");
        expect(matchesCapability(`${N}*.${domain.join(".")}`, N + host)).toBe(false);
        expect(matchesCapability(`${N}${domain.join(".")}.*`, N + host)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("a label wildcard never matches an address", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 3 }), (n, keep) => {
        const quad = dotted(n);
        const domain = quad
          .split(".")
          .slice(4 - keep)
          .join(".");
        expect(matchesCapability(`${N}*.${domain}`, N + quad)).toBe(false);
      }),
    );
  });
});

function dotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join(".");
}

type Radix = 8 | 10 | 16;
function inRadix(value: number, radix: Radix): string {
  if (radix === 16) return `0x${value.toString(16)}`;
  if (radix === 8) return `0${value.toString(8)}`;
  return value.toString(10);
}

/** Every way WHATWG URL (and so fetch) reads as this address: 1 to 4 parts, each decimal, octal or hex. */
const spellingOf = (address: fc.Arbitrary<number>) =>
  fc
    .record({
      n: address,
      parts: fc.integer({ min: 1, max: 4 }),
      radices: fc.array(fc.constantFrom<Radix>(8, 10, 16), { minLength: 4, maxLength: 4 }),
      upper: fc.boolean(),
      trailingDot: fc.boolean(),
      mapped: fc.constantFrom("no", "dotted", "hex"),
    })
    .map(({ n, parts, radices, upper, trailingDot, mapped }) => {
      const quad = dotted(n);
      if (mapped === "dotted") return { quad, text: `[::ffff:${quad}]` };
      if (mapped === "hex") return { quad, text: `[::FFFF:${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}]` };
      const bytes = quad.split(".").map(Number);
      // The last part holds the remaining bytes as one number (127.1 is 127.0.0.1).
      const head = bytes.slice(0, parts - 1);
      const rest = bytes.slice(parts - 1).reduce((acc, b) => acc * 256 + b, 0);
      const text = [...head, rest].map((v, i) => inRadix(v, radices[i]!)).join(".");
      return { quad, text: (upper ? text.toUpperCase() : text) + (trailingDot ? "." : "") };
    });
const spelling = spellingOf(fc.integer({ min: 0, max: 2 ** 32 - 1 }));

const url = (host: string) => new VRecord("args", new Map([["url", `http://${host}:8080/x`]]));

describe("every spelling of an IPv4 address is one address", () => {
  it("normalises to the same dotted quad", () => {
    fc.assert(
      fc.property(spelling, ({ quad, text }) => {
        expect(parseHost(text)?.text).toBe(quad);
        expect(httpRequest.capability(url(text))).toBe(N + quad);
      }),
      { numRuns: 3000 },
    );
  });

  it("a deny of 127.0.0.1 refuses every spelling of every loopback address (127/8, 0/8)", () => {
    const loopback = spellingOf(
      fc.oneof(fc.integer({ min: 127 * 2 ** 24, max: 128 * 2 ** 24 - 1 }), fc.integer({ min: 0, max: 2 ** 24 - 1 })),
    );
    const grants = { required: [`${N}*`], denied: [`${N}127.0.0.1`] };
    fc.assert(
      fc.property(loopback, ({ text }) => {
        expect(capabilityProblem(httpRequest.capability(url(text)), grants)).toContain("is denied to this node");
      }),
      { numRuns: 500 },
    );
  });
});
