// Group commit (src/store/group-commit.ts, docs/trace-store.md "Group commit"): a
// store opened with groupCommitMs commits finished traces together. What each end of
// the writing process keeps, with real processes (test/fixtures/record-grouped.mjs)
// and real files: a SIGKILL loses the traces still waiting (at most the window's),
// and nothing once the window has passed; a normal exit, SIGTERM, SIGINT and SIGHUP
// lose nothing and still end the process as the signal would. In one process: the
// process itself always sees its own traces, another connection sees them within
// the window or once GROUP_MAX wait, and a write that fails loses only itself.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";
import { GROUP_MAX } from "../../../src/store/group-commit.js";
import { TraceStore } from "../../../src/store/store.js";
import { TraceRecorder } from "../../../src/trace/recorder.js";
import { verifyChain } from "../../../src/trace/verify-chain.js";
import type { TraceRow } from "../../../src/trace/trace-row.js";
import { ExecutionContext } from "../../../src/runtime/context.js";
import { runObserved } from "../../../src/runtime/observed-run.js";
import { prepareFile, sampleInputs } from "../../../src/runtime/prepared.js";
import { ReferenceRuntime } from "../../../src/runtime/reference/reference-runtime.js";
import { defaultTools } from "../../../src/tools/index.js";

const fresh = () => join(mkdtempSync(join(tmpdir(), "vesper-group-")), "store.db");

/** Starts the fixture; resolves with the child and the ids it recorded once it has printed them. */
function record(store: string, windowMs: number, count: number, end: "wait" | "exit") {
  const child = spawn(
    process.execPath,
    [join(ROOT, "test/fixtures/record-grouped.mjs"), store, String(windowMs), String(count), end],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr: err })),
  );
  const ids = new Promise<string[]>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^recorded (.*)\n/m.exec(out);
      if (m) resolve(m[1]!.split(" "));
    });
    exited.then((e) => reject(new Error(`the writer exited (${e.code ?? e.signal}) before recording: ${e.stderr}`)));
  });
  return { child, ids, exited };
}

/** The finished traces the store holds, among `ids`. */
function kept(store: string, ids: string[]): string[] {
  const s = TraceStore.open(store, { readonly: true });
  try {
    const found = new Set(
      (s.db.prepare("SELECT id FROM traces WHERE status = 'success'").all() as { id: string }[]).map((r) => r.id),
    );
    return ids.filter((id) => found.has(id));
  } finally {
    s.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kill = (child: ChildProcess, signal: NodeJS.Signals) => child.kill(signal);

describe("group commit across processes", () => {
  it("a SIGKILL loses the traces still waiting for their commit, and the store stays sound", async () => {
    const store = fresh();
    const w = record(store, 60_000, 5, "wait");
    const ids = await w.ids;
    kill(w.child, "SIGKILL");
    expect((await w.exited).signal).toBe("SIGKILL");
    expect(kept(store, ids)).toEqual([]);
    const s = TraceStore.open(store);
    try {
      expect(s.db.pragma("quick_check", { simple: true })).toBe("ok");
    } finally {
      s.close();
    }
  });

  it("a SIGKILL after the window has passed loses nothing", async () => {
    const store = fresh();
    const w = record(store, 20, 5, "wait");
    const ids = await w.ids;
    await sleep(400);
    kill(w.child, "SIGKILL");
    await w.exited;
    expect(kept(store, ids)).toEqual(ids);
  });

  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    it(`${signal} commits every waiting trace, then ends the process by the signal`, async () => {
      const store = fresh();
      const w = record(store, 60_000, 5, "wait");
      const ids = await w.ids;
      kill(w.child, signal);
      const end = await w.exited;
      expect(end.signal).toBe(signal);
      expect(end.stderr).toBe("");
      expect(kept(store, ids)).toEqual(ids);
    });
  }

  it("a normal exit, the store never closed, commits every waiting trace, and they verify", async () => {
    const store = fresh();
    const w = record(store, 60_000, 5, "exit");
    const ids = await w.ids;
    expect((await w.exited).code).toBe(0);
    expect(kept(store, ids)).toEqual(ids);
    const s = TraceStore.open(store, { readonly: true });
    try {
      const rows = s.db.prepare("SELECT * FROM traces ORDER BY rowid").all() as TraceRow[];
      const reports = rows.map((t) => verifyChain(s, t));
      expect(reports.map((r) => [r.trace, r.seal, r.problems])).toEqual(ids.map((id) => [id, "sha256", []]));
    } finally {
      s.close();
    }
  });
});

describe("group commit in one process", () => {
  const p = prepareFile(join(ROOT, "examples/order_total.vsp"));
  const inputs = sampleInputs(p);
  const tools = defaultTools();
  const runtime = new ReferenceRuntime();
  // A run slower than the recorder's flushAfterMs (250 ms by default; a loaded machine's
  // GC pause or lost time slice is enough) writes its row early, and that write, like any
  // use of the store by this process, commits the waiting group first. These tests are
  // about the group's own triggers, so the recorder never flushes by age here.
  const recordOne = async (store: TraceStore, flushAfterMs = 600_000): Promise<string> => {
    const rec = TraceRecorder.begin(
      store,
      {
        node: p,
        runtime: "reference",
        backend: "reference-float64",
        inputs,
        seed: "0",
        context: { clockStartMs: 0 },
      },
      { flushAfterMs },
    );
    await runObserved(
      runtime,
      p,
      new Map(inputs),
      new ExecutionContext({ seed: 0, grants: p.grants, clockStartMs: 0, tools }),
      rec,
    );
    return rec.id;
  };
  const countIn = (s: TraceStore) => (s.db.prepare("SELECT count(*) FROM traces").pluck().get() as number) ?? 0;

  it("the process sees its own traces at once; another connection within the window", async () => {
    const file = fresh();
    const store = TraceStore.open(file, { groupCommitMs: 50 });
    const other = TraceStore.open(file, { readonly: true });
    try {
      await recordOne(store);
      expect(countIn(other)).toBe(0);
      expect(countIn(store)).toBe(1);
      expect(countIn(other)).toBe(1);
      await recordOne(store);
      await sleep(300);
      expect(countIn(other)).toBe(2);
    } finally {
      other.close();
      store.close();
    }
  });

  it(`commits without waiting once ${GROUP_MAX} traces wait`, async () => {
    const file = fresh();
    const store = TraceStore.open(file, { groupCommitMs: 60_000 });
    const other = TraceStore.open(file, { readonly: true });
    try {
      for (let i = 0; i < GROUP_MAX - 1; i++) await recordOne(store);
      expect(countIn(other)).toBe(0);
      await recordOne(store);
      expect(countIn(other)).toBe(GROUP_MAX);
    } finally {
      other.close();
      store.close();
    }
  });

  it("a write that fails loses only itself, and its failure is thrown at the next use of the store", async () => {
    const file = fresh();
    const store = TraceStore.open(file, { groupCommitMs: 20 });
    try {
      const before = await recordOne(store);
      store.defer(() => {
        throw new Error("this write fails");
      }, "a failing write");
      const after = await recordOne(store);
      await sleep(200);
      expect(() => store.db).toThrow("this write fails");
      expect(
        (store.db.prepare("SELECT id FROM traces ORDER BY rowid").all() as { id: string }[]).map((r) => r.id),
      ).toEqual([before, after]);
    } finally {
      store.close();
    }
  });
});
