import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runObserved } from "../../../src/runtime/observed-run.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import { ReferenceRuntime } from "../../../src/runtime/reference/reference-runtime.js";
import { TraceRecorder } from "../../../src/trace/recorder.js";
import { TraceStore } from "../../../src/store/store.js";
import { openReplay } from "../../../src/workbench/replay.js";
import { context, example } from "../../helpers/runtimes.js";

// A fork never reaches the outside world unless asked: a live tool whose call did
// not change is served from the recording; one whose call changed stops the fork
// at the safety boundary (R210) without --live, and an irreversible one also
// without --allow-irreversible. The real fetch is replaced by a counter so any
// call would show. Driven through the typed replay API (openReplay, editStep, fork).

const profile = { id: "usr_1001", name: "Ada", email: "ada@example.com", plan: "pro", seats: 3 };
let store: TraceStore;
let traceId: string;
let realCalls = 0;

beforeEach(async () => {
  store = TraceStore.open(join(mkdtempSync(join(tmpdir(), "vesper-fork-")), "store.db"));
  const p = example("http_fetch");
  const fake: typeof fetch = async () =>
    new Response(JSON.stringify(profile), { status: 200, headers: { "content-type": "application/json" } });
  const inputs = sampleInputs(p);
  const recorder = TraceRecorder.begin(store, {
    node: p,
    runtime: "reference",
    backend: "reference-float64",
    inputs,
    seed: "7",
    context: { clockStartMs: Date.UTC(2026, 0, 1) },
  });
  const result = await runObserved(new ReferenceRuntime(), p, inputs, context(p, { fetch: fake }), recorder);
  expect(result.status).toBe("success");
  traceId = recorder.id;
  realCalls = 0;
  vi.stubGlobal("fetch", async () => {
    realCalls++;
    throw new Error("a fork must not reach the network here");
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  store.close();
});

/** Edits one parameter of one step through the typed replay API and forks. */
async function fork(step: number, param: string, value: string, live = false, allowIrreversible = false) {
  const replay = openReplay(store, traceId, { live, allowIrreversible });
  replay.editStep(step, param, value);
  return replay.fork();
}

describe("the safety boundary of forks", () => {
  it("an unchanged live call is served from the recording", async () => {
    const r = await fork(4, "if", "response.status >= 200 AND response.status < 300");
    expect(r.result.status).toBe("success");
    expect(realCalls).toBe(0);
  });

  it("a changed live call stops at R210 without --live", async () => {
    const r = await fork(3, "error_handling.retry.max_attempts", "2");
    expect(r.result.status).toBe("runtime_error");
    expect(r.result.failure).toMatchObject({ code: "R210" });
    expect(r.result.failure!.message).toContain("rerun with --live");
    expect(realCalls).toBe(0);
  });

  it("with --live, an irreversible tool still needs --allow-irreversible", async () => {
    const r = await fork(3, "error_handling.retry.max_attempts", "2", true);
    expect(r.result.failure).toMatchObject({ code: "R210" });
    expect(r.result.failure!.message).toContain("--allow-irreversible");
    expect(realCalls).toBe(0);
  });

  it("with --live --allow-irreversible the call is made", async () => {
    const r = await fork(3, "error_handling.retry.max_attempts", "2", true, true);
    expect(realCalls).toBeGreaterThan(0);
    expect(r.result.failure?.code).not.toBe("R210");
  });
});
