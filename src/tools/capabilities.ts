// Capabilities are dotted names (payments.charge, network.http_client.api.example.com).
// A pattern matches itself and, when it ends in `.*`, every name below its prefix.

export interface Grants {
  required: readonly string[];
  denied: readonly string[];
}

export function matchesCapability(pattern: string, capability: string): boolean {
  if (pattern.endsWith(".*")) return capability.startsWith(pattern.slice(0, -1));
  return pattern === capability;
}

/** Why a node may not use `capability`, or undefined when it may. Denial wins over a grant. */
export function capabilityProblem(capability: string, grants: Grants): string | undefined {
  const denied = grants.denied.find((p) => matchesCapability(p, capability));
  if (denied) return `capability '${capability}' is denied to this node by '${denied}' in security.denied_capabilities`;
  if (!grants.required.some((p) => matchesCapability(p, capability))) {
    const declared = grants.required.length ? grants.required.join(", ") : "none";
    return `capability '${capability}' is not in security.capabilities_required (declared: ${declared})`;
  }
  return undefined;
}
