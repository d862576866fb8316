import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, ROOT } from "./cli.js";

// Shared by the store fault-injection tests: fresh store paths, writers in other
// processes (test/fixtures/record-forever.mjs), the CLI on a store, and many old
// traces made in one statement from a recorded one.

export const freshStore = () => join(mkdtempSync(join(tmpdir(), "vesper-faults-")), "store.db");
export const vesperOn = (store: string, args: string[], env: Record<string, string | undefined> = {}) =>
  cli("vesper", [...args, "--store", store], { env });

export interface Writer {
  child: ChildProcess;
  traceId: string;
  /** Everything the writer printed on stderr so far (a failed write shows here). */
  stderr: () => string;
}

/** Starts a writer recording into `store` (long: one endless trace; many: one payment run after another). */
export function startWriter(store: string, kind: "long" | "many", env: Record<string, string> = {}): Promise<Writer> {
  const child = spawn(process.execPath, [join(ROOT, "test/fixtures/record-forever.mjs"), store, kind], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /recording (tr_[0-9a-f]+)/.exec(out);
      if (m) resolve({ child, traceId: m[1]!, stderr: () => err });
    });
    child.on("exit", (code) => reject(new Error(`the writer exited (${code}) before recording: ${err}`)));
  });
}

/** Stops a writer that must still be running (exit code null: no write of its ever failed). */
export function stopWriter(w: Writer): Promise<{ wasRunning: boolean; stderr: string }> {
  const wasRunning = w.child.exitCode === null && w.child.signalCode === null;
  return new Promise((resolve) => {
    if (!wasRunning) resolve({ wasRunning, stderr: w.stderr() });
    w.child.once("exit", () => resolve({ wasRunning, stderr: w.stderr() }));
    w.child.kill("SIGKILL");
  });
}

/** Runs the CLI without blocking this process (writers keep running meanwhile). */
export function vesperAsync(
  store: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const p = spawn(process.execPath, [join(ROOT, "bin/vesper.js"), ...args, "--store", store], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => p.on("exit", (status) => resolve({ status, stdout, stderr })));
}

/**
 * `copies` copies of a recorded trace (its steps and calls too), started `daysAgo`
 * days before it, with ids tr_old00000001…: a store with many old traces, made in
 * one statement per table.
 */
export function cloneOldTraces(store: string, traceId: string, copies: number, daysAgo: number): void {
  const db = new Database(store);
  const columns = (table: string) =>
    (db.prepare("SELECT name FROM pragma_table_info(?)").pluck().all(table) as string[]).filter(
      (c) => c !== "trace_id" && c !== "id",
    );
  const series = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${copies})`;
  const newId = "printf('tr_old%08d', n.i)";
  db.transaction(() => {
    const tc = columns("traces").map((c) => (c === "started_at" ? `started_at - ${daysAgo * 86_400_000}` : c));
    db.prepare(
      `${series} INSERT INTO traces (id, ${columns("traces").join(", ")}) SELECT ${newId}, ${tc.join(", ")} FROM traces, n WHERE traces.id = ?`,
    ).run(traceId);
    for (const table of ["steps", "tool_calls", "checkpoints"]) {
      const cs = columns(table);
      db.prepare(
        `${series} INSERT INTO ${table} (trace_id, ${cs.join(", ")}) SELECT ${newId}, ${cs.join(", ")} FROM ${table}, n WHERE trace_id = ?`,
      ).run(traceId);
    }
  })();
  db.close();
}

/** The id of the first trace `vesper run --json` recorded. */
export function recordPaymentRun(store: string): string {
  const r = vesperOn(store, ["run", "examples/payment.vsp", "--runtime", "reference", "--json"]);
  if (r.status !== 0) throw new Error(`vesper run failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { traces: { id: string }[] }).traces[0]!.id;
}
