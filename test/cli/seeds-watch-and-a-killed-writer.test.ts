import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { openTelemetrySink } from "../../src/seeds/telemetry-sink.js";
import { TraceStore } from "../../src/store/store.js";

// A trainer's writer (test/fixtures/seed-writer.mjs, the real sink) in one process
// and `veyra seeds …` in another. A writer SIGKILLed mid-run leaves a valid file, an
// `interrupted` run whose rows chain-verify and whose last checkpoint reads back, and
// that a resumed writer finishes. `veyra seeds watch` sees every event another
// process writes, ends with exit 0 when the run finishes, and with 130 on Ctrl-C.
// No timing is asserted: each step waits for what it needs to see.

const WRITER = join(ROOT, "test/fixtures/seed-writer.mjs");
const fresh = () => join(mkdtempSync(join(tmpdir(), "vesper-seeds-watch-")), "store.db");

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

/** Collects a child's output; `until` resolves once stdout (or stderr) matches, with the text so far. */
function watched(child: ChildProcess) {
  const seen = { out: "", err: "" };
  const waiters: (() => void)[] = [];
  const poke = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on("data", (d: Buffer) => {
    seen.out += d.toString();
    poke();
  });
  child.stderr!.on("data", (d: Buffer) => {
    seen.err += d.toString();
    poke();
  });
  const until = (ok: (s: typeof seen) => boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (ok(seen)) resolve(seen.out);
        else if (child.exitCode !== null || child.signalCode !== null)
          reject(new Error(`exited ${child.exitCode ?? child.signalCode}: ${seen.err}\n${seen.out}`));
        else waiters.push(check);
      };
      child.once("exit", () => poke());
      check();
    });
  return { seen, until };
}

function output(child: ChildProcess, until: (text: string) => boolean): Promise<string> {
  return watched(child).until((s) => until(s.out));
}

const lines = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });

describe("a writer killed mid-run", () => {
  it("leaves an interrupted run that verifies, whose last checkpoint reads back, and that --resume finishes", async () => {
    const store = fresh();
    const writer = spawn(process.execPath, [WRITER, store, "sr_kill", "forever", "10"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    await output(writer, (t) => t.includes("epoch 3\n"));
    writer.kill("SIGKILL");
    expect((await exited(writer)).signal).toBe("SIGKILL");

    const [run] = lines(cli("veyra", ["seeds", "list", "--json", "--store", store]).stdout);
    expect(run).toMatchObject({ id: "sr_kill", status: "interrupted" });
    const verify = cli("veyra", ["seeds", "verify", "sr_kill", "--store", store]);
    expect(verify.stdout).toMatch(/^✓ seed run sr_kill: \d+ events, hash chain intact \(interrupted\)\n$/);
    expect(verify.status).toBe(0);

    const s = TraceStore.open(store);
    expect(s.db.pragma("integrity_check", { simple: true })).toBe("ok");
    const sink = openTelemetrySink(s);
    const cp = sink.lastCheckpoint("sr_kill");
    sink.close();
    s.close();
    expect(cp!.epoch).toBeGreaterThanOrEqual(3);
    expect(new TextDecoder().decode(cp!.state)).toMatch(new RegExp(`^epoch ${cp!.epoch} seq \\d+$`));

    const resumed = spawnSync(process.execPath, [WRITER, store, "sr_kill", "resume", String(cp!.epoch + 2)], {
      encoding: "utf8",
    });
    expect(resumed.stderr).toBe("");
    const after = cli("veyra", ["seeds", "verify", "sr_kill", "--json", "--store", store]);
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: true, status: "finished" });
    const show = JSON.parse(cli("veyra", ["seeds", "show", "sr_kill", "--json", "--store", store]).stdout);
    expect(show.run.resumes).toBe(1);
    expect(show.epochs.seeded.map((e: { epoch: number }) => e.epoch)).toEqual(
      [...Array(cp!.epoch + 2).keys()].map((i) => i + 1),
    );
  }, 60_000);
});

describe("veyra seeds watch", () => {
  it("without a run id waits for the next run, prints each of its events as JSON, and exits 0 when it finishes", async () => {
    const store = fresh();
    TraceStore.open(store).close();
    const watch = spawn(process.execPath, [join(ROOT, "bin/veyra.js"), "seeds", "watch", "--json", "--store", store], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    const w8 = watched(watch);
    // It says (on stderr) that it waits once it has fixed "now": then the run is written.
    await w8.until((s) => s.err.includes("waiting for a seed run to start in"));
    const w = spawnSync(process.execPath, [WRITER, store, "sr_watched", "finish", "3"], { encoding: "utf8" });
    expect(w.stdout).toBe("done sr_watched\n");
    const text = await w8.until((s) => s.out.includes('"event":"run_finished"'));
    expect(w8.seen.err).toBe(`waiting for a seed run to start in ${store} (Ctrl-C to stop)\n`);
    expect(await exited(watch)).toEqual({ code: 0, signal: null });
    const events = lines(text);
    expect(events[0]).toMatchObject({ event: "run_started", id: "sr_watched", dataset: "spirals" });
    expect(events.at(-1)).toMatchObject({ event: "run_finished", runId: "sr_watched", status: "finished" });
    const seqs = events.filter((e) => e.event === "seed_event").map((e) => e.seq);
    expect(seqs).toEqual([...Array(13).keys()]);
    expect(events.filter((e) => e.event === "epoch").map((e) => `${e.series} ${e.epoch}`)).toEqual([
      "seeded 1",
      "baseline 1",
      "seeded 2",
      "baseline 2",
      "seeded 3",
      "baseline 3",
    ]);
    // In the order the trainer emitted them: epoch 1's events come before its epoch row.
    const firstEpoch = events.findIndex((e) => e.event === "epoch");
    expect(events.slice(1, firstEpoch).map((e) => (e.seedEvent as { kind: string }).kind)).toEqual([
      "command",
      "gate",
      "stage",
      "isolation",
    ]);
  }, 60_000);

  it("follows a named run another process is writing, and Ctrl-C ends it with 130", async () => {
    const store = fresh();
    const writer = spawn(process.execPath, [WRITER, store, "sr_live", "forever", "30"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await output(writer, (t) => t.includes("epoch 1\n"));
      const watch = spawn(
        process.execPath,
        [join(ROOT, "bin/veyra.js"), "seeds", "watch", "sr_live", "--store", store],
        {
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, NO_COLOR: "1" },
        },
      );
      const text = await output(watch, (t) => (t.match(/"event":"epoch"/g) ?? []).length >= 3);
      watch.kill("SIGINT");
      expect(await exited(watch)).toEqual({ code: 130, signal: null });
      const events = lines(text.slice(0, text.lastIndexOf("\n")));
      expect(events[0]).toMatchObject({ event: "run_started", id: "sr_live", status: "running" });
      const epochs = events.filter((e) => e.event === "epoch").map((e) => e.epoch);
      expect(epochs.slice(0, 3)).toEqual([1, 2, 3]);
    } finally {
      writer.kill("SIGKILL");
      await exited(writer);
    }
  }, 60_000);
});
