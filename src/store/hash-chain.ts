import * as crypto from "node:crypto";

// The generic hash chain both chained tables use (a trace's steps in src/trace, a
// seed run's events in src/seeds/telemetry-*): a row's hash is sha256 of the
// previous row's hash, a newline, and the row's content as one string, so changing,
// removing or reordering any row breaks every hash after it. A chain starts from a
// genesis hash of a label naming what it belongs to, so rows cannot be moved
// between chains either. These byte layouts are part of the store format: stores
// already written verify only while they stay exactly as they are.

/**
 * sha256 of a string's UTF-8 bytes, hex. Node's one-shot `crypto.hash` (20.12 and
 * later) costs half of a hash object's create, update and digest, which is most of
 * the cost of hashing a short row; older Node 20 releases use the hash object. The
 * bytes hashed, and so the digest, are the same either way.
 */
export const sha256Hex: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text).digest("hex");

/** sha256(prev + "\n" + content), hex. */
export function chainHash(prev: string, content: string): string {
  return sha256Hex(`${prev}\n${content}`);
}

/** The hash a chain starts from: sha256 of its label (e.g. "vesper trace tr_…"), hex. */
export function chainGenesis(label: string): string {
  return sha256Hex(label);
}
