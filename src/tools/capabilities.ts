import { deniesAllLoopback, hostPatternCovers, hostPatternProblem, matchesHost } from "./host-pattern.js";

// Capabilities are dotted names (payments.charge, network.http_client.api.example.com).
// A pattern matches itself and, when it ends in `.*`, every name below its prefix
// (payments.* matches payments.charge). Network capabilities name a host, and the
// host part is matched on whole DNS labels and canonical addresses (host-pattern.ts):
// network.http_client.*.example.com matches api.example.com only. A deny of any
// loopback address or alias denies every spelling of loopback. Denial wins over a
// grant. This file checks names only; resolved addresses are resolved-denies.ts.

export interface Grants {
  required: readonly string[];
  denied: readonly string[];
}

/** The prefix of the capabilities http.request needs; what follows is the host. */
export const NETWORK = "network.http_client.";

const SEGMENTS = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+(\.\*)?$|^[a-z0-9_-]+\.\*$/;

function networkHost(capability: string): string | undefined {
  return capability.startsWith(NETWORK) ? capability.slice(NETWORK.length) : undefined;
}

export function matchesCapability(pattern: string, capability: string): boolean {
  const patternHost = networkHost(pattern);
  const host = networkHost(capability);
  if (patternHost !== undefined && host !== undefined) return matchesHost(patternHost, host);
  if (pattern.endsWith(".*")) return capability.startsWith(pattern.slice(0, -1));
  return pattern === capability;
}

/** Whether a pattern in security.denied_capabilities denies `capability`. */
export function denies(pattern: string, capability: string): boolean {
  if (matchesCapability(pattern, capability)) return true;
  const patternHost = networkHost(pattern);
  const host = networkHost(capability);
  if (patternHost === undefined || host === undefined || !deniesAllLoopback(patternHost)) return false;
  return deniesAllLoopback(host);
}

/** Why a node may not use `capability`, or undefined when it may. Denial wins over a grant. */
export function capabilityProblem(capability: string, grants: Grants): string | undefined {
  const denied = grants.denied.find((p) => denies(p, capability));
  if (denied) {
    const why = matchesCapability(denied, capability)
      ? ""
      : " (a deny of one loopback address or alias denies them all)";
    return `capability '${capability}' is denied to this node by '${denied}' in security.denied_capabilities${why}`;
  }
  if (!grants.required.some((p) => matchesCapability(p, capability))) {
    const declared = grants.required.length ? grants.required.join(", ") : "none";
    return `capability '${capability}' is not in security.capabilities_required (declared: ${declared})`;
  }
  return undefined;
}

/** Why a capability pattern is malformed in a node (the V500 message), or undefined when it is well formed. */
export function capabilityPatternProblem(pattern: string): string | undefined {
  const host = networkHost(pattern);
  if (host !== undefined) {
    const problem = hostPatternProblem(host);
    return problem && `malformed capability '${pattern}': ${problem}`;
  }
  if (SEGMENTS.test(pattern)) return undefined;
  return `malformed capability '${pattern}': use dot-separated lower-case segments, e.g. network.http_client.api.example.com or payments.*`;
}

/**
 * Whether `deny` takes away everything `required` grants, so the requirement can never
 * be used. A required wildcard is covered only by a pattern at least as wide.
 */
export function denialCovers(deny: string, required: string): boolean {
  if (deny === required) return true;
  if (!required.includes("*")) return denies(deny, required);
  const denyHost = networkHost(deny);
  const requiredHost = networkHost(required);
  if (denyHost !== undefined && requiredHost !== undefined) return hostPatternCovers(denyHost, requiredHost);
  return deny.endsWith(".*") && required.startsWith(deny.slice(0, -1));
}
