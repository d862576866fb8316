import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { LEASE_MS } from "../../src/store/liveness.js";
import {
  cloneOldTraces,
  freshStore,
  recordPaymentRun,
  startWriter,
  stopWriter,
  vesperAsync,
  vesperOn,
} from "../helpers/store-faults.js";

// Maintenance and shared use never cost a writer its trace: gc deletes in short
// batches while three writers record (none fails), a writer on another host keeps
// its trace while this host opens, lists and collects garbage, and verify run
// again and again beside four writers never calls a live trace tampered.

describe("gc beside concurrent writers", () => {
  it("deletes thousands of old traces while three writers record: no writer fails, space is reclaimed", async () => {
    const store = freshStore();
    const template = recordPaymentRun(store);
    cloneOldTraces(store, template, 4000, 40);
    const writers = await Promise.all([
      startWriter(store, "many"),
      startWriter(store, "many"),
      startWriter(store, "long"),
    ]);
    let gc: Awaited<ReturnType<typeof vesperAsync>>;
    try {
      gc = await vesperAsync(store, ["traces", "gc", "--keep-days", "30", "--vacuum", "--json"]);
      // The writers go on after gc too.
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      const stopped = await Promise.all(writers.map(stopWriter));
      for (const s of stopped) {
        expect(s.stderr).toBe("");
        expect(s.wasRunning).toBe(true);
      }
    }
    expect(gc.stderr).toBe("");
    expect(gc.status).toBe(0);
    const r = JSON.parse(gc.stdout) as { deleted_traces: number; deleted_steps: number; reclaimed_bytes: number };
    expect(r.deleted_traces).toBe(4000);
    expect(r.deleted_steps).toBe(4000 * 8);
    expect(r.reclaimed_bytes).toBeGreaterThan(0);
    const db = new Database(store, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) FROM traces WHERE id LIKE 'tr_old%'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM steps WHERE trace_id LIKE 'tr_old%'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM gc_pending").pluck().get()).toBe(0);
    db.close();
    // What the writers recorded meanwhile is whole.
    const verify = vesperOn(store, ["traces", "verify"]);
    expect(verify.stdout).toMatch(/✓ \d+ of \d+ traces verify/);
    expect(verify.status).toBe(0);
  }, 60_000);
});

describe("a store shared by two hosts", () => {
  it("a live trace written by another host is neither marked incomplete nor deleted here", async () => {
    const store = freshStore();
    recordPaymentRun(store);
    const other = await startWriter(store, "long", { VEYRA_WRITER_HOST: "build-box-2" });
    try {
      // Everything that opens the store for writing, or collects garbage, on this host.
      expect(vesperOn(store, ["run", "examples/payment.vsp"]).status).toBe(0);
      const gc = vesperOn(store, ["traces", "gc", "--keep-days", "0", "--json"]);
      expect(gc.status).toBe(0);
      const list = vesperOn(store, ["traces", "list", "--status", "running", "--json"]);
      expect(list.stdout).toContain(other.traceId);
      const db = new Database(store, { readonly: true });
      const row = db.prepare("SELECT status, writer_host FROM traces WHERE id = ?").get(other.traceId);
      db.close();
      expect(row).toEqual({ status: "running", writer_host: "build-box-2" });
    } finally {
      const s = await stopWriter(other);
      expect(s.stderr).toBe("");
      expect(s.wasRunning).toBe(true);
    }
  });

  it("a trace whose heartbeat is older than the lease is abandoned, whatever host wrote it", () => {
    const store = freshStore();
    const id = recordPaymentRun(store);
    const db = new Database(store);
    const stale = Date.now() - LEASE_MS - 1000;
    db.prepare(
      "UPDATE traces SET status = 'running', writer_host = 'gone-box', writer_pid = 1, heartbeat_at = ? WHERE id = ?",
    ).run(stale, id);
    db.close();
    // A reader sees it as incomplete without writing anything…
    expect(vesperOn(store, ["traces", "list", "--status", "incomplete", "--json"]).stdout).toContain(id);
    // …and the next writer marks it so.
    expect(vesperOn(store, ["run", "examples/payment.vsp"]).status).toBe(0);
    const after = new Database(store, { readonly: true });
    expect(after.prepare("SELECT status FROM traces WHERE id = ?").pluck().get(id)).toBe("incomplete");
    after.close();
  });
});

describe("verify while traces are being recorded", () => {
  it("four writers, verify over and over: never a false report", async () => {
    const store = freshStore();
    recordPaymentRun(store);
    const writers = await Promise.all([
      startWriter(store, "long"),
      startWriter(store, "long"),
      startWriter(store, "many"),
      startWriter(store, "many"),
    ]);
    const reports: { ok: boolean; status: string; problem: unknown }[] = [];
    let sawRunning = 0;
    try {
      for (let i = 0; i < 3; i++) {
        const r = await vesperAsync(store, ["traces", "verify", "--json"]);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        for (const line of r.stdout.trim().split("\n")) reports.push(JSON.parse(line));
        const one = await vesperAsync(store, ["traces", "verify", writers[0]!.traceId]);
        expect(one.stdout).toMatch(/^▶ tr_[0-9a-f]+: running, \d+ steps so far, hash chain intact, sealed/);
        sawRunning++;
      }
    } finally {
      for (const s of await Promise.all(writers.map(stopWriter))) expect(s.stderr).toBe("");
    }
    expect(sawRunning).toBe(3);
    expect(reports.filter((r) => !r.ok)).toEqual([]);
    expect(reports.filter((r) => r.status === "running").length).toBeGreaterThan(0);
  }, 120_000);
});
