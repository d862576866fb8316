import { createRequire } from "node:module";
import type { BlockList } from "node:net";

// Hosts in one canonical spelling, so that a capability check cannot be dodged by
// writing the same machine another way. Invariants:
// - a name is lower case with no trailing dot (punycode for international names);
// - an IPv4 address is a dotted quad, whatever form it was written in
//   (2130706433, 0x7f.1, 0177.0.0.1, 127.1 are all 127.0.0.1);
// - an IPv6 address is in compressed form without brackets; one that embeds an
//   IPv4 address (::ffff:a.b.c.d mapped, or the old ::a.b.c.d compatible form) is
//   that IPv4 address;
// - every address knows the special ranges it falls in (loopback, private,
//   link_local); 0.0.0.0/8 and :: reach the local host and count as loopback, and
//   so do the names localhost and *.localhost.
// The IPv4 forms are WHATWG URL's own parser (the one fetch uses), so the check and
// the request read a host the same way; only the IPv4-in-IPv6 step and the ranges
// are written here, because URL keeps ::ffff:7f00:1 as IPv6.

export type AddressClass = "loopback" | "private" | "link_local";

/** The names of the special ranges, usable as hosts in capabilities (network.http_client.loopback). */
export const ADDRESS_CLASSES: readonly AddressClass[] = ["loopback", "private", "link_local"];

export interface Host {
  kind: "name" | "ipv4" | "ipv6";
  /** The canonical spelling (see the header). */
  text: string;
  /** The special ranges this host is in; empty for most. */
  classes: readonly AddressClass[];
}

/**
 * node:net, loaded when a host is first read: loading it (with its sockets and
 * streams) is milliseconds of every start, and most commands never read a host.
 */
let net: typeof import("node:net") | undefined;
function netModule(): typeof import("node:net") {
  net ??= createRequire(import.meta.url)("node:net") as typeof import("node:net");
  return net;
}

const isIP = (input: string): number => netModule().isIP(input);

function ranges(entries: [string, number, "ipv4" | "ipv6"][]): BlockList {
  const list = new (netModule().BlockList)();
  for (const [subnet, prefix, family] of entries) list.addSubnet(subnet, prefix, family);
  return list;
}

let RANGES: Record<AddressClass, BlockList> | undefined;

/** The special ranges, built on first use (see netModule). */
function specialRanges(): Record<AddressClass, BlockList> {
  RANGES ??= {
    loopback: ranges([
      ["127.0.0.0", 8, "ipv4"],
      ["0.0.0.0", 8, "ipv4"],
      ["::1", 128, "ipv6"],
      ["::", 128, "ipv6"],
    ]),
    private: ranges([
      ["10.0.0.0", 8, "ipv4"],
      ["172.16.0.0", 12, "ipv4"],
      ["192.168.0.0", 16, "ipv4"],
      ["100.64.0.0", 10, "ipv4"],
      ["fc00::", 7, "ipv6"],
    ]),
    link_local: ranges([
      ["169.254.0.0", 16, "ipv4"],
      ["fe80::", 10, "ipv6"],
    ]),
  };
  return RANGES;
}

function classesOf(kind: Host["kind"], text: string): AddressClass[] {
  if (kind === "name") return text === "localhost" || text.endsWith(".localhost") ? ["loopback"] : [];
  return ADDRESS_CLASSES.filter((c) => specialRanges()[c].check(text, kind));
}

function host(kind: Host["kind"], text: string): Host {
  return { kind, text, classes: classesOf(kind, text) };
}

/** ::ffff:7f00:1 (mapped) and ::7f00:1 (compatible, first octet not 0) are 127.0.0.1; other IPv6 is undefined. */
function embeddedIPv4(compressed: string): string | undefined {
  const m = /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (!m) return undefined;
  const hi = Number.parseInt(m[1]!, 16);
  const lo = Number.parseInt(m[2]!, 16);
  if (!compressed.startsWith("::ffff:") && hi < 0x100) return undefined; // ::1, ::2 … stay IPv6
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".");
}

function fromIPv6(raw: string): Host | undefined {
  // A zone (fe80::1%eth0) names an interface, not another address: the address decides.
  const address = raw.replace(/%.*$/, "");
  if (isIP(address) !== 6) return undefined;
  const compressed = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const v4 = embeddedIPv4(compressed);
  return v4 ? host("ipv4", v4) : host("ipv6", compressed);
}

/**
 * A host as a URL, a DNS answer or a capability may spell it (brackets around IPv6
 * allowed), in canonical form; undefined when it cannot be a host at all.
 */
export function parseHost(raw: string): Host | undefined {
  const bare = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw;
  if (bare.includes(":")) return fromIPv6(bare);
  if (bare === "" || /[\s/?#@\\[\]%]/.test(bare)) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://${bare}/`).hostname;
  } catch {
    return undefined;
  }
  if (isIP(hostname) === 4) return host("ipv4", hostname);
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  return name === "" ? undefined : host("name", name);
}

/**
 * How a host is written inside a capability name: names and IPv4 as themselves, IPv6
 * with `-` for `:` (::1 is `--1`, fe80::1 is `fe80--1`), since a capability segment
 * has no colons.
 */
export function capabilityHost(h: Host): string {
  return h.kind === "ipv6" ? h.text.replaceAll(":", "-") : h.text;
}

/** The host a capability names (the inverse of capabilityHost; hex-and-dash labels that read as IPv6 are IPv6). */
export function hostOfCapability(text: string): Host | undefined {
  if (/^[0-9a-f-]+$/.test(text) && text.includes("-")) {
    const v6 = fromIPv6(text.replaceAll("-", ":"));
    if (v6) return v6;
  }
  return parseHost(text);
}
