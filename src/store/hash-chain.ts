import { createHash } from "node:crypto";

// The generic hash chain both chained tables use (a trace's steps in src/trace, a
// seed run's events in src/seeds/telemetry-*): a row's hash is sha256 of the
// previous row's hash, a newline, and the row's content as one string, so changing,
// removing or reordering any row breaks every hash after it. A chain starts from a
// genesis hash of a label naming what it belongs to, so rows cannot be moved
// between chains either. These byte layouts are part of the store format: stores
// already written verify only while they stay exactly as they are.

/** sha256(prev + "\n" + content), hex. One update of one string: the hash object's per-call overhead is most of the cost. */
export function chainHash(prev: string, content: string): string {
  return createHash("sha256").update(`${prev}\n${content}`).digest("hex");
}

/** The hash a chain starts from: sha256 of its label (e.g. "vesper trace tr_…"), hex. */
export function chainGenesis(label: string): string {
  return createHash("sha256").update(label).digest("hex");
}
