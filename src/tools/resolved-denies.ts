import { ADDRESS_CLASSES, capabilityHost, hostOfCapability, parseHost } from "./address.js";
import { NETWORK, denies, type Grants } from "./capabilities.js";

// Denies of addresses hold for host names too: before a live request to a name, the
// name is resolved and every address it resolves to is matched against the node's
// denies (so evil.test → 127.0.0.1 is refused where 127.0.0.1 is denied). Invariants:
// - resolution happens only when a deny names an address or an address range and
//   the host is a name: other nodes make no extra lookups;
// - a name that cannot be resolved is not called (its addresses cannot be checked),
//   and the failure is transient, so retries apply;
// - the check and the request resolve separately: a resolver that answers
//   differently the second time (DNS rebinding) is not caught here. Deny at the
//   network layer as well when that matters.

/** A resolver: every address a host name has. The system's (node:dns lookup, all: true) unless a test gives one. */
export type HostLookup = (host: string) => Promise<string[]>;

export const systemLookup: HostLookup = async (host) => {
  // Loaded on first use: most runs resolve nothing, and loading it costs every start.
  const { lookup } = await import("node:dns/promises");
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
};

/** Whether a deny pattern names an address (or a range: loopback, private, link_local, localhost). */
function namesAddress(pattern: string): boolean {
  if (!pattern.startsWith(NETWORK)) return false;
  const host = pattern.slice(NETWORK.length);
  if (host.includes("*")) return false;
  const h = hostOfCapability(host);
  return h !== undefined && (h.kind !== "name" || h.classes.length > 0 || isAddressClass(host));
}

function isAddressClass(host: string): boolean {
  return (ADDRESS_CLASSES as readonly string[]).includes(host);
}

export type Screening = { denied: string } | { unresolved: string } | undefined;

/**
 * Matches the addresses `host` (a canonical capability host) resolves to against the
 * denies; undefined when the call may go on.
 */
export async function screenResolved(host: string, grants: Grants, lookup: HostLookup): Promise<Screening> {
  const target = hostOfCapability(host);
  if (target?.kind !== "name") return undefined;
  const addressDenies = grants.denied.filter(namesAddress);
  if (addressDenies.length === 0) return undefined;
  let addresses: string[];
  try {
    addresses = await lookup(target.text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return {
      unresolved: `could not resolve ${target.text} (${code}); a host is called only after its addresses are checked against security.denied_capabilities`,
    };
  }
  if (addresses.length === 0) return { unresolved: `${target.text} resolves to no address` };
  for (const address of addresses) {
    const parsed = parseHost(address);
    if (!parsed) return { unresolved: `${target.text} resolves to '${address}', which is not an address` };
    const capability = `${NETWORK}${capabilityHost(parsed)}`;
    const deny = addressDenies.find((p) => denies(p, capability));
    if (deny) {
      return {
        denied: `the host '${target.text}' resolves to ${parsed.text}, which '${deny}' in security.denied_capabilities denies`,
      };
    }
  }
  return undefined;
}
