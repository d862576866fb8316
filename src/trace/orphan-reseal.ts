import type { TraceStore } from "../store/store.js";
import type { TraceRow } from "./trace-row.js";
import {
  identityDigest,
  macHolds,
  type SealDigests,
  type SealRow,
  sealHolds,
  sealInRow,
  sealOf,
  traceKey,
} from "./seal.js";

// When gc deletes a trace, the forks made from it keep their rows and lose the link
// (parent_id becomes NULL). A fork's seal covers its identity, parent included, so
// without a new seal every such fork would fail verify as `identity-edited` after a
// legitimate gc. This reseals each fork for the cleared link, and only a fork whose
// seal held for the trace as it was (seal hash, identity digest and, for a keyed
// seal, the HMAC under VEYRA_TRACE_KEY): a fork tampered with before gc is left as it
// is (gc launders nothing), and a keyed fork is left unless this process holds the
// key that sealed it. Called inside gc's write transaction, before the link is cleared.

/** A function that reseals every fork of a parent as it will be once its parent_id is NULL. */
export function forkResealer(store: TraceStore): (parentId: string) => void {
  const forksOf = store.db.prepare("SELECT * FROM traces WHERE parent_id = ?");
  return (parentId) => {
    for (const fork of forksOf.all(parentId) as TraceRow[]) reseal(store, fork);
  };
}

function reseal(store: TraceStore, t: TraceRow): void {
  const inRow = sealInRow(t);
  const seal = inRow ?? (store.db.prepare("SELECT * FROM seals WHERE trace_id = ?").get(t.id) as SealRow | undefined);
  if (!seal || !sealHolds(seal)) return;
  const keyed = seal.mac !== null || seal.key_id !== null;
  const key = traceKey();
  if (keyed && (key === undefined || !macHolds(seal, key))) return;
  let digests: SealDigests;
  try {
    digests = JSON.parse(seal.digests) as SealDigests;
  } catch {
    return;
  }
  if (digests.identity !== identityDigest(t)) return;
  // "" rather than undefined: sealOf's default would take VEYRA_TRACE_KEY for an unkeyed seal.
  const next = sealOf(t.id, { ...digests, identity: identityDigest({ ...t, parent_id: null }) }, keyed ? key : "");
  if (inRow)
    store.db
      .prepare("UPDATE traces SET seal_digests = ?, seal = ?, seal_mac = ?, seal_key_id = ? WHERE id = ?")
      .run(next.digests, next.seal, next.mac, next.key_id, t.id);
  else
    store.db
      .prepare("UPDATE seals SET digests = ?, seal = ?, mac = ?, key_id = ? WHERE trace_id = ?")
      .run(next.digests, next.seal, next.mac, next.key_id, t.id);
}
