import fc from "fast-check";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import type { StepEvent } from "../../../src/runtime/protocol.js";
import { TraceStore } from "../../../src/store/store.js";
import { genesisHash, stepHash } from "../../../src/trace/hash-chain.js";
import { TraceRecorder } from "../../../src/trace/recorder.js";
import { encodeEvent, eventJson, storedEvent, storedEventJson } from "../../../src/trace/step-codec.js";
import type { TraceRow } from "../../../src/trace/trace-row.js";
import { verifyChain } from "../../../src/trace/verify-chain.js";
import { Decimal } from "../../../src/values/decimal.js";
import { withDisplayScale } from "../../../src/values/display-scale.js";
import { example } from "../../helpers/runtimes.js";

// The recorder keeps pending step rows in chunks of 16 (one multi-row INSERT each,
// bound without copying), reuses them from batch to batch, and writes a short trace
// whole: whatever the number of steps and the batch size, the rows stored are the
// plain encoding of each event, chained from the trace's genesis hash, and the trace
// verifies.

const dir = mkdtempSync(join(tmpdir(), "vesper-batching-"));
const store = TraceStore.open(join(dir, "store.db"));
afterAll(() => store.close());

const p = example("payment");
const meta = {
  node: p,
  runtime: "reference" as const,
  backend: "reference-float64",
  inputs: sampleInputs(p),
  seed: "0",
  context: { clockStartMs: 0 },
};

function event(i: number): StepEvent {
  return {
    index: i,
    step: `s${i % 5}`,
    op: "compute",
    location: { file: p.node.file, line: 3 + (i % 4), col: 5 },
    effects: [],
    contracts: [],
    changed: [
      [`x${i % 7}`, withDisplayScale(new Decimal(i).div(3).toDecimalPlaces(i % 4), 2)],
      ["n", BigInt(i)],
      ["name", `"${i}"\n`],
    ],
  };
}

describe("recorded step rows", () => {
  it("are the plain encoding, chained and verifying, for any step count and batch size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 1, max: 40 }), (steps, batchSize) => {
        const rec = TraceRecorder.begin(store, meta, { batchSize, checkpointEvery: 9, flushAfterMs: 1e9 });
        const events = Array.from({ length: steps }, (_, i) => event(i));
        for (const e of events) rec.step(e, 2);
        rec.finish({ status: "success", steps }, 1);
        const rows = store.db.prepare("SELECT * FROM steps WHERE trace_id = ? ORDER BY idx").all(rec.id) as Parameters<
          typeof stepHash
        >[1][];
        expect(rows.map((r) => r.event)).toEqual(events.map((e) => JSON.stringify(encodeEvent(e, undefined))));
        let prev = genesisHash(rec.id);
        for (const r of rows) {
          const hash = stepHash(prev, r);
          expect((r as unknown as { hash: string }).hash).toBe(hash);
          prev = hash;
        }
        const t = store.db.prepare("SELECT * FROM traces WHERE id = ?").get(rec.id) as TraceRow;
        expect(t.step_count).toBe(steps);
        expect(verifyChain(store, t).problems).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("store contracts so that they read back as the runtime made them, whatever their keys, order, kind or text", () => {
    const contract = fc.record({
      kind: fc.constantFrom("precondition", "postcondition", "invariant", "input constraint", "assertion"),
      name: fc.string(),
      text: fc.string(),
      passed: fc.boolean(),
    });
    const reshaped = fc.oneof(
      contract,
      contract.map((c) => ({ ...c, text: c.name })),
      contract.map(({ kind, name, text, passed }) => ({ passed, kind, name, text })),
      contract.map((c) => ({ ...c, extra: [1, "two"] })),
      contract.map((c) => ({ ...c, passed: undefined })),
      contract.map((c) => ({ ...c, name: 3 })),
    );
    fc.assert(
      fc.property(fc.array(reshaped, { maxLength: 6 }), (contracts) => {
        const ev = { ...event(1), contracts } as unknown as StepEvent;
        const stored = eventJson(ev, undefined, []);
        const made = JSON.stringify(encodeEvent(ev, undefined, []));
        expect(JSON.stringify(storedEvent(stored))).toBe(made);
        expect(storedEventJson(stored)).toBe(made);
      }),
      { numRuns: 500 },
    );
  });

  it("store a plain check in the compact form: an input constraint's name once, its kind as a code", () => {
    const ev = {
      ...event(0),
      changed: [],
      contracts: [
        { kind: "input constraint", name: "quantity >= 1", text: "quantity >= 1", passed: true },
        { kind: "postcondition", name: "positive", text: "output.total > 0", passed: false },
      ],
    } as unknown as StepEvent;
    expect(eventJson(ev, undefined, [])).toBe(
      '{"changed":[],"effects":[],"contracts":[["in","quantity >= 1",1],["post","positive",0,"output.total > 0"]]}',
    );
    expect(() => storedEvent('{"changed":[],"effects":[],"contracts":[["zz","x",1]]}')).toThrow(/unknown form/);
  });
});
