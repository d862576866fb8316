import { createHash, createHmac, type Hash } from "node:crypto";
import { sha256Hex } from "../store/hash-chain.js";
import type { TraceRow } from "./trace-row.js";

// The seal over a whole trace. The step rows are hash-chained (hash-chain.ts), but
// the chain says nothing about the trace row: its inputs, output, status, failure,
// final state, or how many steps it should have. The seal does: a set of digests,
// one per part of the trace, and a hash over the trace id and those digests. It is
// rewritten with every batch of steps (a running trace carries a progress seal) and
// with the outcome, in the same transaction, so any snapshot of the store has a seal
// that matches its trace. Because each part has its own digest, verify names what
// was changed, not only that something was.
//
// With VEYRA_TRACE_KEY set, the seal is also an HMAC-SHA256 under that key (`mac`):
// anyone can recompute a sha256 after editing a trace, but not the HMAC without the
// key, so with the key set a recomputed chain fails verify, as an audit log should.

export const SEAL_VERSION = 1;

/** The parts of a trace the seal covers, each as a digest (null for an empty part). */
export interface SealDigests {
  v: number;
  /** What ran and how: node, file, content hash, runtime, backend, mode, seed, context, start, fork and group. */
  identity: string;
  inputs: string;
  /** Plain: the status the trace had when sealed (`running` in a progress seal). */
  status: string;
  output: string | null;
  failure: string | null;
  final_state: string | null;
  /** finished_at and duration_us. */
  timing: string | null;
  step_count: number;
  last_hash: string | null;
  checkpoints: { count: number; hash: string };
  intents: { count: number; hash: string };
}

/** The columns of a trace row the seal covers. */
export type SealedRow = Pick<
  TraceRow,
  | "id"
  | "node_id"
  | "node_file"
  | "content_hash"
  | "runtime"
  | "engine_backend"
  | "mode"
  | "status"
  | "inputs"
  | "output"
  | "failure"
  | "final_state"
  | "seed"
  | "context"
  | "started_at"
  | "finished_at"
  | "duration_us"
  | "step_count"
  | "last_hash"
  | "parent_id"
  | "fork_step"
  | "fork_change"
  | "group_id"
  | "role"
>;

export interface SealRow {
  trace_id: string;
  digests: string;
  seal: string;
  mac: string | null;
  key_id: string | null;
}

export const sha256 = sha256Hex;
const nullable = (text: string | null): string | null => (text === null ? null : sha256(text));

export function identityDigest(t: SealedRow): string {
  return sha256(
    JSON.stringify([
      t.node_id,
      t.node_file,
      t.content_hash,
      t.runtime,
      t.engine_backend,
      t.mode,
      t.seed,
      t.context,
      t.started_at,
      t.parent_id,
      t.fork_step,
      t.fork_change,
      t.group_id,
      t.role,
    ]),
  );
}

export function timingDigest(t: Pick<SealedRow, "finished_at" | "duration_us">): string | null {
  return t.finished_at === null && t.duration_us === null ? null : sha256(`${t.finished_at}\n${t.duration_us}`);
}

/** A running digest over rows appended in order (checkpoints, intents): count and sha256. */
export class RowDigest {
  count = 0;
  /** Made at the first row: most traces have no checkpoints or intents. */
  private hash?: Hash;

  add(text: string): void {
    this.count++;
    (this.hash ??= createHash("sha256")).update(`${text.length}:${text}\n`);
  }

  value(): { count: number; hash: string } {
    return { count: this.count, hash: this.hash ? this.hash.copy().digest("hex") : NO_ROWS };
  }
}

/** The digest of no rows: sha256 of nothing. */
const NO_ROWS = sha256Hex("");

export const checkpointText = (stepIdx: number, state: string) => `${stepIdx}\n${state}`;
export const intentText = (i: {
  seq: number;
  step_idx: number;
  step: string;
  tool: string;
  capability: string;
  args: string;
  at: number;
}) => JSON.stringify([i.seq, i.step_idx, i.step, i.tool, i.capability, i.args, i.at]);

/** The digests of the parts of a trace row that never change once it is begun: what ran, and its inputs. */
export interface FixedDigests {
  identity: string;
  inputs: string;
}

export const fixedDigestsOf = (t: SealedRow): FixedDigests => ({
  identity: identityDigest(t),
  inputs: sha256(t.inputs),
});

/**
 * The digests of a trace row (with its checkpoints' and intents' running digests).
 * `fixed`, when given, is fixedDigestsOf(t) made earlier (the recorder seals a trace
 * once a batch, and its identity and inputs are the same every time).
 */
export function digestsOf(
  t: SealedRow,
  checkpoints: { count: number; hash: string },
  intents: { count: number; hash: string },
  fixed: FixedDigests = fixedDigestsOf(t),
): SealDigests {
  return {
    v: SEAL_VERSION,
    identity: fixed.identity,
    inputs: fixed.inputs,
    status: t.status,
    output: nullable(t.output),
    failure: nullable(t.failure),
    final_state: nullable(t.final_state),
    timing: timingDigest(t),
    step_count: t.step_count,
    last_hash: t.last_hash,
    checkpoints,
    intents,
  };
}

const sealText = (traceId: string, digests: string) => `vesper seal v${SEAL_VERSION}\n${traceId}\n${digests}`;

/** The key from VEYRA_TRACE_KEY, or undefined (an empty value is no key). */
export function traceKey(): string | undefined {
  const key = process.env.VEYRA_TRACE_KEY;
  return key ? key : undefined;
}

/** A name for a key that does not reveal it: which key sealed a trace. */
export const keyId = (key: string) =>
  createHmac("sha256", key).update("vesper trace key id").digest("hex").slice(0, 16);

export function sealOf(traceId: string, digests: SealDigests, key = traceKey()): SealRow {
  const json = JSON.stringify(digests);
  const text = sealText(traceId, json);
  return {
    trace_id: traceId,
    digests: json,
    seal: sha256(text),
    mac: key ? createHmac("sha256", key).update(text).digest("hex") : null,
    key_id: key ? keyId(key) : null,
  };
}

/**
 * The seal a trace row carries (schema 6 on), as a SealRow; undefined when its seal
 * columns are all empty (a trace recorded before: its seal, if any, is in `seals`).
 * A row with some of them emptied still has its seal, which then fails to hold.
 */
export function sealInRow(t: TraceRow): SealRow | undefined {
  const { seal_digests = null, seal = null, seal_mac = null, seal_key_id = null } = t;
  if (seal_digests === null && seal === null && seal_mac === null && seal_key_id === null) return undefined;
  return { trace_id: t.id, digests: seal_digests ?? "", seal: seal ?? "", mac: seal_mac, key_id: seal_key_id };
}

/** Whether the stored seal hash covers the stored digests (false: the seal row itself was edited). */
export function sealHolds(s: SealRow): boolean {
  return sha256(sealText(s.trace_id, s.digests)) === s.seal;
}

/** Whether the stored HMAC is the one `key` gives for the stored digests. */
export function macHolds(s: SealRow, key: string): boolean {
  return s.mac !== null && createHmac("sha256", key).update(sealText(s.trace_id, s.digests)).digest("hex") === s.mac;
}
