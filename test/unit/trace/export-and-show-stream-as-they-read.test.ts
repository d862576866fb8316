import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFile, sampleInputs } from "../../../src/runtime/prepared.js";
import { TraceStore } from "../../../src/store/store.js";
import { TraceRecorder } from "../../../src/trace/recorder.js";
import { Decimal } from "../../../src/values/decimal.js";
import { exportTrace, traceTimeline } from "../../../src/workbench/traces.js";

// Export and show write as they read: checked structurally, not by the clock or
// by memory. On a 20,000-step trace, the first chunk of the export reaches its
// sink before a tenth of the step rows have been read, no chunk is bigger than a
// page of rows, and the text is exactly JSON.stringify(document, null, 2).
// (bench/trace-huge.mjs measures the peak memory on a 1,000,000-step trace.)

const STEPS = 20_000;
let path: string;
let id: string;

beforeAll(() => {
  path = join(mkdtempSync(join(tmpdir(), "vesper-stream-")), "store.db");
  const store = TraceStore.open(path);
  const p = prepareFile("examples/payment.vsp");
  const rec = TraceRecorder.begin(store, {
    node: p,
    runtime: "reference",
    backend: "reference-float64",
    inputs: sampleInputs(p),
    seed: "0",
    context: { clockStartMs: 0 },
  });
  const location = { file: p.node.file, line: 3, col: 5 };
  for (let i = 0; i < STEPS; i++) {
    rec.step(
      {
        index: i,
        step: `s${i % 10}`,
        op: "compute",
        location,
        effects: [],
        contracts: [],
        changed: [[`x${i % 10}`, new Decimal(i).div(7).toDecimalPlaces(2)]],
      },
      1,
    );
  }
  rec.finish({ status: "success", steps: STEPS - 1 }, 1);
  id = rec.id;
  store.close();
});

/** The store, counting the step rows its statements have handed back so far. */
function countingStore(): { store: TraceStore; stepRowsRead: () => number } {
  const store = TraceStore.open(path, { readonly: true });
  let read = 0;
  const prepare = store.db.prepare.bind(store.db);
  store.db.prepare = ((sql: string) => {
    const stmt = prepare(sql);
    if (!/FROM steps WHERE trace_id = \? AND idx >= \?/.test(sql)) return stmt;
    const all = stmt.all.bind(stmt);
    stmt.all = ((...args: unknown[]) => {
      const rows = all(...args);
      read += rows.length;
      return rows;
    }) as typeof stmt.all;
    return stmt;
  }) as typeof store.db.prepare;
  return { store, stepRowsRead: () => read };
}

describe("export streams", () => {
  for (const format of ["json", "otlp"] as const) {
    it(`${format}: the first chunk is written before most rows are read; chunks stay small; the text is the whole document`, () => {
      const { store, stepRowsRead } = countingStore();
      const chunks: string[] = [];
      let readAtFirstChunk = -1;
      exportTrace(store, id, format, (chunk) => {
        if (readAtFirstChunk < 0) readAtFirstChunk = stepRowsRead();
        chunks.push(chunk);
      });
      store.close();
      expect(stepRowsRead()).toBe(STEPS);
      expect(readAtFirstChunk).toBeGreaterThanOrEqual(0);
      expect(readAtFirstChunk).toBeLessThan(STEPS / 10);
      expect(chunks.length).toBeGreaterThan(20);
      expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(1024 * 1024);
      const text = chunks.join("");
      const doc = JSON.parse(text);
      expect(text).toBe(`${JSON.stringify(doc, null, 2)}\n`);
      if (format === "json") expect(doc.steps).toHaveLength(STEPS);
      else expect(doc.resourceSpans[0].scopeSpans[0].spans).toHaveLength(STEPS + 1);
    });
  }
});

describe("show streams and limits", () => {
  it("hands each step to its receiver as it is read, and stops at the limit", () => {
    const { store, stepRowsRead } = countingStore();
    let seen = 0;
    let readAtFirst = -1;
    const t = traceTimeline(store, id, {
      onStep: () => {
        if (readAtFirst < 0) readAtFirst = stepRowsRead();
        seen++;
      },
    });
    expect(seen).toBe(STEPS);
    expect(t.steps).toEqual([]);
    // The check walks every row first (its warning comes before the steps), then the
    // rows are handed on as they are read: a second pass, a page at a time.
    expect(readAtFirst - STEPS).toBeLessThan(STEPS / 10);
    expect(stepRowsRead()).toBe(2 * STEPS);
    const limited = traceTimeline(store, id, { limit: 50 });
    expect(limited).toMatchObject({ total: STEPS, shown: 50 });
    expect(limited.steps).toHaveLength(50);
    expect(limited.check.problems).toEqual([]);
    store.close();
  });
});
