import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runObserved } from "../../../src/runtime/observed-run.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import { ReferenceRuntime } from "../../../src/runtime/reference/reference-runtime.js";
import { StoreError } from "../../../src/store/store-error.js";
import { TraceStore } from "../../../src/store/store.js";
import { TraceRecorder } from "../../../src/trace/recorder.js";
import { verifyTraces } from "../../../src/workbench/traces.js";
import { context, example } from "../../helpers/runtimes.js";

// A write that cannot get the lock is retried and then reported as a store error
// (S103, exit 2), never an internal "database is locked"; and a live call that
// cannot be undone is on disk before it goes out.

const freshPath = () => join(mkdtempSync(join(tmpdir(), "vesper-busy-")), "store.db");

describe("a store locked by another process", () => {
  it("a write waits, retries, then is a StoreError S103 naming the store; nothing of it is written", () => {
    const path = freshPath();
    TraceStore.open(path).close();
    const store = TraceStore.open(path, { busyBudgetMs: 300 });
    const holder = new Database(path);
    holder.exec("BEGIN IMMEDIATE");
    try {
      let caught: unknown;
      try {
        store.write(() => store.db.prepare("INSERT INTO gc_pending (trace_id) VALUES ('x')").run());
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(StoreError);
      expect((caught as StoreError).code).toBe("S103");
      expect((caught as Error).message).toMatch(/the trace store .*store\.db stayed locked by another process/);
      // A recorder writes its trace row with its first batch: that write is refused the same way.
      const p = example("payment");
      const recorder = TraceRecorder.begin(store, {
        node: p,
        runtime: "reference",
        backend: "reference-float64",
        inputs: sampleInputs(p),
        seed: "0",
        context: { clockStartMs: 0 },
      });
      expect(() => recorder.abandon()).toThrow(/stayed locked/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    // Once the lock is released the same store writes again.
    store.write(() => store.db.prepare("INSERT INTO gc_pending (trace_id) VALUES ('x')").run());
    expect(store.db.prepare("SELECT COUNT(*) FROM gc_pending").pluck().get()).toBe(1);
    store.close();
  });
});

describe("intent before a live irreversible call", () => {
  it("the intent and every step before the call are committed when the call goes out", async () => {
    const path = freshPath();
    const store = TraceStore.open(path);
    const p = example("http_fetch");
    const inputs = sampleInputs(p);
    const recorder = TraceRecorder.begin(store, {
      node: p,
      runtime: "reference",
      backend: "reference-float64",
      inputs,
      seed: "7",
      context: { clockStartMs: 0 },
    });
    // What another process sees at the moment the request leaves, then the request fails.
    let seenAtCall: { intents: unknown[]; steps: number } | undefined;
    const fetchThatDies: typeof fetch = async () => {
      const other = new Database(path, { readonly: true });
      seenAtCall = {
        intents: other
          .prepare("SELECT step, tool, capability, step_idx FROM intents WHERE trace_id = ?")
          .all(recorder.id),
        steps: other.prepare("SELECT COUNT(*) FROM steps WHERE trace_id = ?").pluck().get(recorder.id) as number,
      };
      other.close();
      throw new Error("connection reset after the request was sent");
    };
    await runObserved(new ReferenceRuntime(), p, inputs, context(p, { fetch: fetchThatDies }), recorder);
    expect(seenAtCall).toBeDefined();
    expect(seenAtCall!.intents).toEqual([
      {
        step: expect.any(String),
        tool: "http.request",
        capability: expect.stringMatching(/^network\./),
        step_idx: seenAtCall!.steps,
      },
    ]);
    expect(seenAtCall!.steps).toBeGreaterThan(0);
    store.close();
    // The intent is part of what the seal covers: the finished trace verifies.
    expect(verifyTraces(path, recorder.id).tampered).toBe(0);
  });

  it("a simulated service (even one that cannot be undone) records no intent", async () => {
    const path = freshPath();
    const store = TraceStore.open(path);
    const p = example("payment");
    const inputs = sampleInputs(p);
    const recorder = TraceRecorder.begin(store, {
      node: p,
      runtime: "reference",
      backend: "reference-float64",
      inputs,
      seed: "7",
      context: { clockStartMs: 0 },
    });
    await runObserved(new ReferenceRuntime(), p, inputs, context(p), recorder);
    expect(store.db.prepare("SELECT COUNT(*) FROM intents").pluck().get()).toBe(0);
    expect(store.db.prepare("SELECT COUNT(*) FROM tool_calls").pluck().get()).toBe(1);
    store.close();
  });
});
