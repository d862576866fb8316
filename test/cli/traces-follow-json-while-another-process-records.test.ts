import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { TraceStore } from "../../src/store/store.js";

// `vesper traces follow --json` end to end: the real program follows a store that
// a second process (test/fixtures/record-forever.mjs) records into, prints one JSON
// object per event, and ends quietly with exit 0 on SIGTERM. Bad flags and a
// missing store exit 2 naming the problem.

const fresh = () => join(mkdtempSync(join(tmpdir(), "vesper-follow-cli-")), "store.db");

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

describe("vesper traces follow --json", () => {
  it("prints each trace a second process records, as JSON lines, and exits 0 on SIGTERM", async () => {
    const store = fresh();
    TraceStore.open(store).close(); // an empty store, so --from-start misses nothing the writer does
    const follower = spawn(
      process.execPath,
      [join(ROOT, "bin/vesper.js"), "traces", "follow", "--json", "--from-start", "--store", store],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
    );
    let out = "";
    let err = "";
    follower.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const enough = new Promise<void>((resolve) => {
      follower.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if ((out.match(/"event":"trace_finished"/g) ?? []).length >= 5) resolve();
      });
    });
    const writer = spawn(process.execPath, [join(ROOT, "test/fixtures/record-forever.mjs"), store, "many"], {
      stdio: "ignore",
    });
    try {
      await Promise.race([enough, exited(follower).then(() => Promise.reject(new Error(`follow exited: ${err}`)))]);
    } finally {
      writer.kill("SIGKILL");
      await exited(writer);
    }
    follower.kill("SIGTERM");
    expect(await exited(follower)).toEqual({ code: 0, signal: null });
    expect(err).toBe("");

    const lines = out.trimEnd().split("\n");
    const events = lines.map((l) => JSON.parse(l) as { event: string; trace: string; [k: string]: unknown });
    const started = events.filter((e) => e.event === "trace_started").map((e) => e.trace);
    expect(new Set(started).size).toBe(started.length);
    const s = TraceStore.open(store, { readonly: true });
    const ids = (s.db.prepare("SELECT id FROM traces ORDER BY rowid").all() as { id: string }[]).map((r) => r.id);
    s.close();
    expect(started).toEqual(ids.slice(0, started.length));
    expect(events[0]).toMatchObject({
      event: "trace_started",
      node_id: "payments.process_payment@1.0.0",
      runtime: "reference",
      mode: "reference_only",
    });
    expect(events.find((e) => e.event === "step")).toMatchObject({ index: 0, step: "enter", ok: true });
    expect(events.find((e) => e.event === "trace_finished")).toMatchObject({ steps: 7, step_rows: 8 });
  }, 60_000);
});

describe("vesper traces follow: bad usage exits 2", () => {
  it("a missing store is a store error, and is not created", () => {
    const missing = fresh();
    const r = cli("vesper", ["traces", "follow", "--store", missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no trace store at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it("a file that is not a store is refused untouched", () => {
    const bad = join(mkdtempSync(join(tmpdir(), "vesper-follow-cli-")), "notes.db");
    writeFileSync(bad, "hello");
    const r = cli("vesper", ["traces", "follow", "--store", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is not a usable trace store");
  });

  it.each([
    [["--form-start"], "unknown option '--form-start'"],
    [["--node"], "option '--node <id>' argument missing"],
  ])("%j names the flag", (flags, message) => {
    const store = fresh();
    TraceStore.open(store).close();
    const r = cli("vesper", ["traces", "follow", "--store", store, ...flags]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
