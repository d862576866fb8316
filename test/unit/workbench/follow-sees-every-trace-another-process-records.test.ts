import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../../helpers/cli.js";
import { TraceStore } from "../../../src/store/store.js";
import { addDivergences } from "../../../src/trace/evidence-tables.js";
import { pin } from "../../../src/verify/controller.js";
import { type FollowEvent, followStore, type StoreFollow } from "../../../src/workbench/follow.js";

// The follow reader against a real second process: test/fixtures/record-forever.mjs
// records one payment trace after another through the real recorder while this
// process follows the same file. Every trace must be seen exactly once, in the
// order the writer committed it, with each of its steps once and in order between
// its start and its end; nothing committed before "now" is reported.

const fresh = () => join(mkdtempSync(join(tmpdir(), "vesper-follow-")), "store.db");

function startWriter(store: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, "test/fixtures/record-forever.mjs"), store, "many"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let err = "";
    child.stdout!.once("data", () => resolve(child));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => reject(new Error(`the writer exited (${code}) before recording: ${err}`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });

/** The store's traces in the order they were committed. */
function tracesInStore(store: string): { id: string; status: string; step_count: number }[] {
  const s = TraceStore.open(store, { readonly: true });
  try {
    return s.db.prepare("SELECT id, status, step_count FROM traces ORDER BY rowid").all() as {
      id: string;
      status: string;
      step_count: number;
    }[];
  } finally {
    s.close();
  }
}

/** Every trace's events in order: started once, its steps 0..n-1 once each, then finished once. */
function expectWellFormed(events: FollowEvent[]): void {
  const byTrace = new Map<string, FollowEvent[]>();
  for (const e of events) {
    if (e.kind !== "trace_started" && e.kind !== "step" && e.kind !== "trace_finished") continue;
    byTrace.set(e.traceId, [...(byTrace.get(e.traceId) ?? []), e]);
  }
  for (const [id, list] of byTrace) {
    expect(list[0]!.kind, id).toBe("trace_started");
    const steps = list.filter((e) => e.kind === "step");
    expect(
      steps.map((e) => e.index),
      id,
    ).toEqual(steps.map((_, i) => i));
    const end = list.findIndex((e) => e.kind === "trace_finished");
    if (end >= 0) {
      expect(end, `${id} ends after its last step`).toBe(list.length - 1);
      const f = list[end] as Extract<FollowEvent, { kind: "trace_finished" }>;
      expect(f.stepRows).toBe(steps.length);
    }
  }
}

async function collect(follow: StoreFollow, until: (events: FollowEvent[]) => boolean): Promise<FollowEvent[]> {
  const events: FollowEvent[] = [];
  for await (const e of follow) {
    events.push(e);
    if (until(events)) break;
  }
  return events;
}

const finishedCount = (events: FollowEvent[]) => events.filter((e) => e.kind === "trace_finished").length;

describe("following a store another process records into", () => {
  it("sees every new trace once, in commit order, with its steps and its end", async () => {
    const store = fresh();
    // One trace before "now": it must not be reported.
    const before = cli("vesper", ["run", "examples/payment.vsp", "--runtime", "reference", "--json", "--store", store]);
    expect(before.status).toBe(0);
    const earlier = tracesInStore(store).map((t) => t.id);

    const follow = followStore(store);
    const writer = await startWriter(store);
    let events: FollowEvent[];
    try {
      events = await collect(follow, (es) => finishedCount(es) >= 20);
    } finally {
      await killed(writer);
    }

    const started = events.filter((e) => e.kind === "trace_started").map((e) => e.traceId);
    expect(new Set(started).size).toBe(started.length);
    for (const id of earlier) expect(started).not.toContain(id);
    // Exactly the traces committed after "now", in the order they were committed (a prefix
    // of them: the writer went on after the follower stopped).
    const after = tracesInStore(store)
      .map((t) => t.id)
      .filter((id) => !earlier.includes(id));
    expect(started.length).toBeGreaterThanOrEqual(20);
    expect(started).toEqual(after.slice(0, started.length));
    expectWellFormed(events);
    // Each end says what the store says of the trace.
    const rows = new Map(tracesInStore(store).map((t) => [t.id, t]));
    const ended = events.filter((e) => e.kind === "trace_finished");
    expect(ended.length).toBeGreaterThanOrEqual(20);
    for (const e of ended) {
      const row = rows.get(e.traceId)!;
      expect(e).toMatchObject({
        status: row.status,
        stepRows: row.step_count,
        nodeId: "payments.process_payment@1.0.0",
      });
    }
  }, 60_000);

  it("from the start, reports what the store already holds, each row once, then stops when closed", async () => {
    const store = fresh();
    for (let i = 0; i < 2; i++)
      expect(cli("vesper", ["run", "examples/payment.vsp", "--json", "--store", store]).status).toBe(0);
    const follow = followStore(store, { from: "start" });
    const events = follow.poll();
    expect(follow.poll()).toEqual([]); // nothing new: nothing read twice
    follow.close();
    expect(follow.poll()).toEqual([]);
    const inStore = tracesInStore(store);
    expect(events.filter((e) => e.kind === "trace_started").map((e) => e.traceId)).toEqual(inStore.map((t) => t.id));
    expect(events.filter((e) => e.kind === "step")).toHaveLength(inStore.reduce((a, t) => a + t.step_count, 0));
    expectWellFormed(events);

    const noSteps = followStore(store, { from: "start", steps: false });
    const quiet = noSteps.poll();
    noSteps.close();
    expect(quiet.map((e) => e.kind)).toEqual([
      ...inStore.map(() => "trace_started"),
      ...inStore.map(() => "trace_finished"),
    ]);
  });

  it("reports divergences and controller mode changes other connections commit, filtered by node", async () => {
    const store = fresh();
    expect(cli("vesper", ["run", "examples/payment.vsp", "--json", "--store", store]).status).toBe(0);
    const node = "payments.process_payment@1.0.0";
    const follow = followStore(store, { node, pollMs: 5 });
    const other = TraceStore.open(store);
    try {
      pin(other, node, "dual_verify");
      pin(other, "someone.else@1.0.0", "direct_only"); // another node: filtered out
      addDivergences(other, [
        {
          nodeId: node,
          contentHash: "x",
          source: "dual_verify",
          inputs: new Map(),
          expected: { status: "success", steps: 1 },
          actual: { status: "runtime_error", steps: 1 },
          diffs: [{ path: "status", expected: "success", actual: "runtime_error", reason: "status differs" }],
        },
      ]);
    } finally {
      other.close();
    }
    const events = await collect(follow, (es) => es.length >= 2);
    follow.close();
    // Within a table rows come in commit order; across tables a look reports table by table.
    expect(events.filter((e) => e.kind === "divergence")).toMatchObject([
      { nodeId: node, source: "dual_verify", diffs: [{ path: "status" }] },
    ]);
    expect(events.filter((e) => e.kind === "mode_change")).toMatchObject([
      { nodeId: node, change: { kind: "set", to: "dual_verify", policy: "pinned" } },
    ]);
  });

  it("ends when its signal is aborted, and refuses a store that does not exist", async () => {
    const store = fresh();
    expect(() => followStore(store)).toThrow(/no trace store at/);
    TraceStore.open(store).close();
    const stop = new AbortController();
    const follow = followStore(store, { signal: stop.signal });
    const done = collect(follow, () => false);
    setTimeout(() => stop.abort(), 50);
    expect(await done).toEqual([]);
  });
});
