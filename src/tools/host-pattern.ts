import { ADDRESS_CLASSES, hostOfCapability, type AddressClass } from "./address.js";

// The host part of a network capability (network.http_client.<host pattern>) and
// what it matches. Invariants:
// - `*` alone matches every host, names and addresses;
// - `*.example.com` matches names with one or more whole labels to the LEFT of
//   example.com (api.example.com, a.b.example.com), never example.com itself and
//   never a name that merely contains it (api.example.com.attacker.invalid);
// - `example.com.*` (a wildcard after a host) is read the same way, as subdomains
//   of that host: never as "any domain that starts with it" (api.* never matches
//   api.attacker.invalid). The validator refuses that spelling (V500); this reading
//   is what a node that was not validated gets;
// - a wildcard never matches an address (only `*` does);
// - loopback, private and link_local name every address in that range;
// - anything else is one host, compared in canonical form (127.1 is 127.0.0.1).

const LABEL = "[a-z0-9_-]+";
const NAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const SUBDOMAINS = new RegExp(`^\\*(\\.${LABEL})+$`);
const TRAILING = new RegExp(`^${LABEL}(\\.${LABEL})*\\.\\*$`);

/** The domain a label wildcard stands left of (`*.example.com`, `example.com.*` → example.com); else undefined. */
export function wildcardDomain(pattern: string): string | undefined {
  if (SUBDOMAINS.test(pattern)) return pattern.slice(2);
  if (TRAILING.test(pattern)) return pattern.slice(0, -2);
  return undefined;
}

function isAddressClass(pattern: string): pattern is AddressClass {
  return (ADDRESS_CLASSES as readonly string[]).includes(pattern);
}

/** Whether a host pattern matches a host as a capability spells it. */
export function matchesHost(pattern: string, host: string): boolean {
  if (pattern === "*") return true;
  const target = hostOfCapability(host);
  if (!target) return false;
  const domain = wildcardDomain(pattern);
  if (domain !== undefined) {
    return target.kind === "name" && target.text.length > domain.length + 1 && target.text.endsWith(`.${domain}`);
  }
  if (pattern.includes("*")) return false;
  if (isAddressClass(pattern)) return target.classes.includes(pattern);
  const named = hostOfCapability(pattern);
  return named !== undefined && named.kind === target.kind && named.text === target.text;
}

/** Whether a deny of this host pattern takes every spelling of loopback with it (it names a loopback address or alias). */
export function deniesAllLoopback(pattern: string): boolean {
  if (pattern.includes("*")) return false;
  return hostOfCapability(pattern)?.classes.includes("loopback") ?? false;
}

/** Whether every host `inner` matches is also matched by `outer` (both patterns). */
export function hostPatternCovers(outer: string, inner: string): boolean {
  if (outer === "*" || outer === inner) return true;
  if (!inner.includes("*")) return matchesHost(outer, inner);
  const o = wildcardDomain(outer);
  const i = wildcardDomain(inner);
  return o !== undefined && i !== undefined && (i === o || i.endsWith(`.${o}`));
}

/** Why a host pattern is not allowed in a node, or undefined when it is. */
export function hostPatternProblem(pattern: string): string | undefined {
  if (pattern === "*" || SUBDOMAINS.test(pattern) || NAME.test(pattern)) return undefined;
  if (TRAILING.test(pattern)) {
    const host = pattern.slice(0, -2);
    return `a host wildcard stands for whole labels to the left of a domain, so '${pattern}' could only mean subdomains of '${host}' (never ${host}.attacker.invalid); write '*.${host}' for those, or name the hosts`;
  }
  return "a host is dot-separated lower-case labels (an IPv6 address with '-' for ':'), '*' for every host, or '*.' before a domain for its subdomains";
}
