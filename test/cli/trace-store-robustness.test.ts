import Database from "better-sqlite3";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { latestVersion } from "../../src/store/migrations.js";
import { TraceStore } from "../../src/store/store.js";

// The store under abuse: a writer killed mid-trace, a tampered row, readers beside
// a busy writer, and files that are not (this version's) stores.

const fresh = () => join(mkdtempSync(join(tmpdir(), "vesper-store-")), "store.db");
const vesper = (store: string, args: string[]) => cli("vesper", [...args, "--store", store]);

function startWriter(store: string, kind: "long" | "many"): Promise<{ child: ChildProcess; traceId: string }> {
  const child = spawn(process.execPath, [join(ROOT, "test/fixtures/record-forever.mjs"), store, kind], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /recording (tr_[0-9a-f]+)/.exec(out);
      if (m) resolve({ child, traceId: m[1]! });
    });
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => reject(new Error(`the writer exited (${code}) before recording: ${err}`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });

describe("a writer killed mid-trace", () => {
  it("leaves a valid file: completed batches intact, the trace marked incomplete on the next open", async () => {
    const store = fresh();
    const { child, traceId } = await startWriter(store, "long");
    // Let a few more batches commit, then kill it in the middle of its work.
    await new Promise((r) => setTimeout(r, 300));
    await killed(child);

    const s = TraceStore.open(store);
    try {
      expect(s.db.pragma("integrity_check", { simple: true })).toBe("ok");
      const t = s.db.prepare("SELECT status, step_count FROM traces WHERE id = ?").get(traceId) as {
        status: string;
        step_count: number;
      };
      expect(t.status).toBe("incomplete");
      const steps = s.db
        .prepare("SELECT COUNT(*) AS n, MAX(idx) AS last FROM steps WHERE trace_id = ?")
        .get(traceId) as { n: number; last: number };
      // Whole batches of 64, every one of them there, and the trace row agrees.
      expect(steps.n).toBeGreaterThanOrEqual(64);
      expect(steps.n % 64).toBe(0);
      expect(steps.last).toBe(steps.n - 1);
      expect(t.step_count).toBe(steps.n);
    } finally {
      s.close();
    }
    const verify = vesper(store, ["traces", "verify", traceId]);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain("hash chain intact");
    const list = vesper(store, ["traces", "list", "--status", "incomplete", "--json"]);
    expect(JSON.parse(list.stdout.trim())).toMatchObject({ id: traceId, status: "incomplete" });
  });
});

describe("tamper evidence", () => {
  it("traces verify names the edited row and exits non-zero", () => {
    const store = fresh();
    const run = JSON.parse(
      cli("vesper", ["run", "examples/payment.vsp", "--runtime", "reference", "--json", "--store", store]).stdout,
    ) as { traces: { id: string }[] };
    const id = run.traces[0]!.id;
    expect(vesper(store, ["traces", "verify"]).status).toBe(0);
    const db = new Database(store);
    db.prepare("UPDATE steps SET event = replace(event, '3.2', '0.2') WHERE trace_id = ? AND idx = 2").run(id);
    db.close();
    const r = vesper(store, ["traces", "verify", id]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`✗ ${id}: step row 2 (compute_fee) does not match its hash`);
    const all = vesper(store, ["traces", "verify", "--json"]);
    expect(all.status).toBe(1);
    expect(JSON.parse(all.stdout.trim())).toMatchObject({ trace: id, ok: false, problem: { step: 2 } });
  });

  it("a removed last row and an edited tool-call row are caught too", () => {
    const store = fresh();
    const run = JSON.parse(
      cli("vesper", ["run", "examples/payment.vsp", "--runtime", "reference", "--json", "--store", store]).stdout,
    ) as { traces: { id: string }[] };
    const id = run.traces[0]!.id;
    const db = new Database(store);
    db.prepare("UPDATE tool_calls SET attempts = 2 WHERE trace_id = ?").run(id);
    db.close();
    expect(vesper(store, ["traces", "verify", id]).stdout).toContain("tool call row 0 does not match");
    const db2 = new Database(store);
    db2.prepare("DELETE FROM steps WHERE trace_id = ? AND idx = 7").run(id);
    db2.close();
    expect(vesper(store, ["traces", "verify", id]).stdout).toMatch(/rows were removed or added/);
  });
});

describe("readers beside a busy writer", () => {
  it("two readers listing and showing traces while a writer records never see SQLITE_BUSY", async () => {
    const store = fresh();
    const { child, traceId } = await startWriter(store, "many");
    try {
      const reader = (args: string[]) =>
        new Promise<{ code: number | null; stderr: string; runs: number }>((resolve) => {
          // Each reader is a loop of real CLI invocations, so opens, migrations checks and
          // reads all overlap the writer's transactions.
          const script = `
          const { spawnSync } = require("node:child_process");
          let failed = "";
          for (let i = 0; i < 8 && !failed; i++) {
            const r = spawnSync(process.execPath, [${JSON.stringify(join(ROOT, "bin/vesper.js"))}, ...${JSON.stringify(args)}, "--store", ${JSON.stringify(store)}], { encoding: "utf8" });
            if (r.status !== 0) failed = r.stderr || ("exit " + r.status);
          }
          process.stderr.write(failed);
          process.exit(failed ? 1 : 0);`;
          const p = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "ignore", "pipe"] });
          let stderr = "";
          p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
          p.on("exit", (code) => resolve({ code, stderr, runs: 8 }));
        });
      const [a, b] = await Promise.all([
        reader(["traces", "list", "--limit", "50"]),
        reader(["traces", "show", traceId]),
      ]);
      expect(a.stderr).not.toMatch(/BUSY|locked/i);
      expect(b.stderr).not.toMatch(/BUSY|locked/i);
      expect([a.code, b.code]).toEqual([0, 0]);
    } finally {
      await killed(child);
    }
    const s = TraceStore.open(store);
    try {
      expect(
        (s.db.prepare("SELECT COUNT(*) AS n FROM traces WHERE status = 'success'").get() as { n: number }).n,
      ).toBeGreaterThan(1);
    } finally {
      s.close();
    }
  });
});

describe("files that are not usable stores are refused, untouched, with exit 2", () => {
  const expectUntouched = (file: string, args: string[], message: RegExp) => {
    const before = readFileSync(file);
    const r = cli("vesper", [...args, "--store", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readFileSync(file).equals(before)).toBe(true);
  };

  it("a file that is not SQLite", () => {
    const file = fresh();
    writeFileSync(
      file,
      "these are not the bytes of a SQLite database, but they are long enough to look like a header\n".repeat(10),
    );
    expectUntouched(
      file,
      ["traces", "list"],
      /is not a usable trace store: it is not a SQLite database; it was left untouched/,
    );
    expectUntouched(file, ["run", "examples/payment.vsp"], /not a usable trace store/);
  });

  it("a corrupt SQLite file", () => {
    const file = fresh();
    TraceStore.open(file).close();
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 100, 4096); // the schema page
    writeFileSync(file, bytes);
    expectUntouched(file, ["traces", "list"], /not a usable trace store/);
  });

  it("a store from a newer vesper", () => {
    const file = fresh();
    const db = new Database(file);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    expectUntouched(
      file,
      ["traces", "list"],
      new RegExp(`schema version ${latestVersion() + 1}, newer than this vesper knows \\(${latestVersion()}\\)`),
    );
  });

  it("a SQLite database of some other program", () => {
    const file = fresh();
    const db = new Database(file);
    db.exec("CREATE TABLE recipes (name TEXT)");
    db.close();
    expectUntouched(file, ["traces", "list"], /is a SQLite database but not a trace store/);
  });

  it("an unknown trace id", () => {
    const store = fresh();
    TraceStore.open(store).close();
    for (const args of [
      ["replay", "tr_0000000000000000"],
      ["traces", "show", "tr_nope"],
      ["traces", "verify", "tr_nope"],
      ["traces", "export", "tr_nope"],
    ]) {
      const r = vesper(store, args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        /no trace 'tr_[0-9a-z]+' in .*store\.db \(vesper traces list shows the recorded traces\)/,
      );
    }
  });

  it("a prefix under 4 characters says it is too short (tr_ alone would name every trace), exit 2", () => {
    const store = fresh();
    TraceStore.open(store).close();
    for (const args of [
      ["replay", "tr_"],
      ["traces", "show", "tr"],
    ]) {
      const r = vesper(store, args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        /'tr_?' is too short to name a trace: give at least 4 characters of its id, e\.g\. tr_1/,
      );
    }
  });
});

describe("reading commands never create a store", () => {
  it("a missing or empty store file is an error for list, show, verify, export and replay; --store '' is bad usage", () => {
    const missing = fresh();
    for (const args of [
      ["traces", "list"],
      ["traces", "verify"],
      ["traces", "show", "tr_x"],
      ["traces", "export", "tr_x"],
      ["replay", "tr_x"],
    ]) {
      const r = vesper(missing, args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/no trace store at .*store\.db \(nothing has been recorded there yet/);
    }
    expect(existsSync(missing)).toBe(false);
    const empty = fresh();
    writeFileSync(empty, "");
    expect(vesper(empty, ["traces", "list"]).status).toBe(2);
    expect(readFileSync(empty).length).toBe(0);
    const blank = cli("vesper", ["traces", "list", "--store", ""]);
    expect(blank.status).toBe(2);
    expect(blank.stderr).toContain("--store needs a file path");
  });

  it("export --out to an unwritable place is a usage error naming --out", () => {
    const store = fresh();
    const id = (
      JSON.parse(
        cli("vesper", ["run", "examples/payment.vsp", "--runtime", "reference", "--json", "--store", store]).stdout,
      ) as { traces: { id: string }[] }
    ).traces[0]!.id;
    const r = vesper(store, ["traces", "export", id, "--out", "/nonexistent/dir/x.json"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out \/nonexistent\/dir\/x\.json: cannot write the file \(ENOENT\)/);
  });

  it("a reader that closes the pipe early (| head) ends the program quietly", () => {
    const store = fresh();
    for (let i = 0; i < 3; i++) cli("vesper", ["run", "examples/payment.vsp", "--store", store]);
    // `true` exits without reading, so every write vesper makes meets a closed pipe.
    const r = spawnSync(
      "sh",
      [
        "-c",
        `node bin/vesper.js traces list --store '${store}' | true; node bin/vesper.js traces list --store '${store}' | head -1`,
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toBe("");
  });
});

describe("schema migrations", () => {
  it("an older store is upgraded on open, keeping its traces", () => {
    const file = fresh();
    const db = new Database(file);
    db.exec(readFileSync(join(ROOT, "traces/001_initial.sql"), "utf8"));
    db.pragma("user_version = 1");
    db.prepare(
      "INSERT INTO traces (id, node_id, node_file, content_hash, runtime, engine_backend, status, inputs, seed, context, started_at) VALUES ('tr_old', 'n@1', '/x.vsp', 'h', 'reference', 'reference-float64', 'success', '{}', '0', '{}', 1)",
    ).run();
    db.close();
    const s = TraceStore.open(file);
    try {
      expect(s.version).toBe(latestVersion());
      expect((s.db.prepare("SELECT id FROM traces").all() as { id: string }[]).map((r) => r.id)).toEqual(["tr_old"]);
    } finally {
      s.close();
    }
  });

  it("two processes opening a new store at once migrate it once", async () => {
    const file = fresh();
    const open = () =>
      new Promise<number | null>((resolve) => {
        const p = spawn(
          process.execPath,
          [join(ROOT, "bin/vesper.js"), "run", "examples/payment.vsp", "--store", file],
          { cwd: ROOT, stdio: "ignore" },
        );
        p.on("exit", resolve);
      });
    expect(await Promise.all([open(), open(), open()])).toEqual([0, 0, 0]);
    const s = TraceStore.open(file);
    expect(s.version).toBe(latestVersion());
    s.close();
  });
});

describe("export", () => {
  it("OTLP/JSON: a root span per trace and one child span per step, with valid ids", () => {
    const store = fresh();
    const file = join(mkdtempSync(join(tmpdir(), "vesper-otlp-")), "payment.vsp");
    copyFileSync(join(ROOT, "examples/payment.vsp"), file);
    const run = JSON.parse(
      cli("vesper", ["run", file, "--runtime", "reference", "--json", "--store", store]).stdout,
    ) as { traces: { id: string }[] };
    const r = vesper(store, ["traces", "export", run.traces[0]!.id, "--format", "otlp"]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const spans = doc.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans).toHaveLength(9);
    const [root, ...steps] = spans;
    expect(root).toMatchObject({ name: "payments.process_payment@1.0.0", kind: 1, status: { code: 1 } });
    expect(root!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(root).not.toHaveProperty("parentSpanId");
    for (const s of steps) {
      expect(s.traceId).toBe(root!.traceId);
      expect(s.parentSpanId).toBe(root!.spanId);
      expect(BigInt(s.endTimeUnixNano as string)).toBeGreaterThanOrEqual(BigInt(s.startTimeUnixNano as string));
    }
    expect(steps.map((s) => s.name)).toContain("charge_card (call)");
    const charge = steps.find((s) => s.name === "charge_card (call)")!;
    expect(charge.events).toMatchObject([{ name: "call sim.payments.charge" }]);
    const json = JSON.parse(vesper(store, ["traces", "export", run.traces[0]!.id]).stdout) as {
      format: string;
      steps: unknown[];
      calls: unknown[];
    };
    expect(json.format).toBe("vesper-trace/1");
    expect(json.steps).toHaveLength(8);
    expect(json.calls).toHaveLength(1);
  });

  it("gc deletes old traces with their rows and keeps recent ones", () => {
    const store = fresh();
    cli("vesper", ["run", "examples/payment.vsp", "--store", store]);
    const db = new Database(store);
    db.prepare("UPDATE traces SET started_at = started_at - 40 * 86400000 WHERE role = 'secondary'").run();
    db.close();
    const r = vesper(store, ["traces", "gc", "--keep-days", "30", "--json"]);
    expect(JSON.parse(r.stdout)).toEqual({ deleted_traces: 1, deleted_steps: 8 });
    const s = TraceStore.open(store);
    expect((s.db.prepare("SELECT COUNT(*) AS n FROM steps").get() as { n: number }).n).toBe(8);
    s.close();
    expect(vesper(store, ["traces", "gc", "--keep-days", "soon"]).stderr).toContain(
      "--keep-days must be a whole number of at least 0, not 'soon'",
    );
  });
});
