import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ROOT, cli } from "../helpers/cli.js";

// `vesper run --mode X` for every mode the README's table lists, through bin/ into a
// real store: which runtime answers, whether the other runs, the traces recorded
// (runtime, role, one group id), the first line of the text output; canary_direct's
// fallback when the direct run fails (test/fixtures/vesper-direct-fails.mjs); and the
// controller's rollback exactly as docs/differential-testing.md says: one level at
// once for a divergence in the node's own answering mode (`--mode auto` or the mode
// named), none for a run in another mode, and promotion counting only what came since.

const PAYMENT = "payments.process_payment@1.0.0";
const newStore = () => join(mkdtempSync(join(tmpdir(), "vesper-run-modes-")), "vesper.db");

function fixture(name: "vesper-direct-fails.mjs" | "vesper-wrong-op.mjs", store: string, args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "test/fixtures", name), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: "",
    env: { ...process.env, NO_COLOR: "1", VEYRA_STORE: store, VESPER_WRONG_OP: "round" },
  });
}

interface Row {
  id: string;
  runtime: string;
  role: string;
  group_id: string;
  mode: string;
}
const traces = (store: string) =>
  new Database(store, { readonly: true })
    .prepare("SELECT id, runtime, role, group_id, mode FROM traces ORDER BY started_at, role DESC")
    .all() as Row[];

const show = (store: string) =>
  JSON.parse(cli("vesper", ["mode", PAYMENT, "--json"], { env: { VEYRA_STORE: store } }).stdout);

/** `n` clean comparisons of the payment node's current version, as traffic would leave them. */
function cleanComparisons(store: string, n: number) {
  const db = new Database(store);
  const { content_hash } = db.prepare("SELECT content_hash FROM traces LIMIT 1").get() as { content_hash: string };
  db.prepare(
    `INSERT INTO comparisons (node_id, content_hash, source, compared, agreed, first_at, last_at) VALUES (?, ?, 'test', ?, ?, 1, 1)
     ON CONFLICT (node_id, content_hash, source) DO UPDATE SET compared = compared + excluded.compared, agreed = agreed + excluded.agreed`,
  ).run(PAYMENT, content_hash, n, n);
  db.close();
}

describe("vesper run --mode: who answers, what else runs, what is recorded", () => {
  const cases = [
    { mode: "reference_only", flags: [], answer: "reference", runs: [["reference", "primary"]], compared: false },
    {
      mode: "shadow_direct",
      flags: [],
      answer: "reference",
      runs: [
        ["reference", "primary"],
        ["direct", "secondary"],
      ],
      compared: true,
    },
    { mode: "canary_direct", flags: ["--canary", "100"], answer: "direct", runs: [["direct", "primary"]] },
    { mode: "canary_direct", flags: ["--canary", "0"], answer: "reference", runs: [["reference", "primary"]] },
    {
      mode: "dual_verify",
      flags: [],
      answer: "reference",
      runs: [
        ["reference", "primary"],
        ["direct", "secondary"],
      ],
      compared: true,
    },
    { mode: "direct_only", flags: ["--sample-percent", "0"], answer: "direct", runs: [["direct", "primary"]] },
    {
      mode: "direct_only",
      flags: ["--sample-percent", "100"],
      answer: "direct",
      runs: [
        ["direct", "primary"],
        ["reference", "secondary"],
      ],
      compared: true,
    },
  ];
  for (const c of cases) {
    it(`${c.mode} ${c.flags.join(" ")}: the ${c.answer} runtime answers; ${c.runs.length} trace(s) in one group`, () => {
      const store = newStore();
      const args = ["run", "examples/payment.vsp", "--mode", c.mode, ...c.flags];
      const text = cli("vesper", args, { env: { VEYRA_STORE: store } });
      expect(text.status).toBe(0);
      const agree = c.compared ? ", both runtimes agree" : "";
      expect(text.stdout.split("\n")[0]).toBe(
        `${PAYMENT}: success (${c.answer} runtime answered, mode ${c.mode}${agree})`,
      );
      const rows = traces(store);
      expect(rows.map((r) => [r.runtime, r.role])).toEqual(c.runs);
      expect(new Set(rows.map((r) => r.group_id)).size).toBe(1);
      expect(rows.every((r) => r.mode === c.mode)).toBe(true);
      for (const r of rows) expect(text.stdout).toContain(`  trace ${r.id} (${r.runtime}, ${r.role}): vesper replay`);

      const json = JSON.parse(cli("vesper", [...args, "--json"], { env: { VEYRA_STORE: store } }).stdout);
      expect(json).toMatchObject({ runtime: c.answer, mode: c.mode, compared: c.compared ?? false });
      expect(json.traces.map((t: { runtime: string; role: string }) => [t.runtime, t.role])).toEqual(c.runs);
    });
  }

  it("canary_direct: a direct run that fails hands the answer to the reference, recorded as a fallback and a divergence", () => {
    const store = newStore();
    const r = fixture("vesper-direct-fails.mjs", store, [
      "run",
      "examples/payment.vsp",
      "--mode",
      "canary_direct",
      "--canary",
      "100",
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`${PAYMENT}: success (reference runtime answered, mode canary_direct)`);
    expect(r.stdout).toMatch(/the direct runtime failed first \(.*R101: .*\); the reference answered/);
    const rows = traces(store);
    expect(rows.map((t) => [t.runtime, t.role])).toEqual([
      ["direct", "primary"],
      ["reference", "fallback"],
    ]);
    expect(new Set(rows.map((t) => t.group_id)).size).toBe(1);
    const db = new Database(store, { readonly: true });
    expect(db.prepare("SELECT source, compared, agreed FROM comparisons").all()).toEqual([
      { source: "canary_direct", compared: 1, agreed: 0 },
    ]);
    expect(db.prepare("SELECT source, trace_id, other_trace_id FROM divergences").all()).toEqual([
      { source: "canary_direct", trace_id: rows[1]!.id, other_trace_id: rows[0]!.id },
    ]);
  });
});

describe("the controller's rollback on a divergence in canary_direct", () => {
  /** A store whose payment node the controller has put in canary_direct on `clean` comparisons. */
  function canaryNode(clean: number): string {
    const store = newStore();
    cli("vesper", ["run", "examples/payment.vsp", "--mode", "reference_only"], { env: { VEYRA_STORE: store } });
    cleanComparisons(store, clean);
    cli("vesper", ["mode", PAYMENT, "--auto"], { env: { VEYRA_STORE: store } });
    expect(show(store).mode).toBe("canary_direct");
    return store;
  }

  for (const named of ["auto", "canary_direct"]) {
    it(`--mode ${named}: one level down to shadow_direct at once, with the reason; promotion then counts only newer comparisons`, () => {
      const store = canaryNode(400);
      const r = fixture("vesper-direct-fails.mjs", store, [
        "run",
        "examples/payment.vsp",
        "--mode",
        named,
        "--canary",
        "100",
      ]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("  controller: rollback canary_direct → shadow_direct: automatic rollback from");
      const s = show(store);
      expect(s).toMatchObject({ mode: "shadow_direct", policy: "auto" });
      expect(s.history[0]).toMatchObject({ kind: "rollback", from: "canary_direct", to: "shadow_direct" });
      expect(s.reason).toMatch(
        /^automatic rollback from canary_direct: the runtimes diverged in canary_direct on inputs [0-9a-f]{16} \(status: "success" vs "runtime_error"\)$/,
      );
      // 401 comparisons before the rollback count no more: 205 clean ones since are one short of 206.
      cleanComparisons(store, 205);
      cli("vesper", ["mode", PAYMENT, "--auto"], { env: { VEYRA_STORE: store } });
      expect(show(store).mode).toBe("shadow_direct");
      cleanComparisons(store, 1);
      cli("vesper", ["mode", PAYMENT, "--auto"], { env: { VEYRA_STORE: store } });
      expect(show(store)).toMatchObject({ mode: "canary_direct" });
      expect(show(store).reason).toMatch(/over 206 comparisons since the last rollback reached the canary_direct/);
    });
  }

  it("a divergence in another mode is no rollback: it counts toward the confidence only", () => {
    const store = canaryNode(400);
    const r = fixture("vesper-wrong-op.mjs", store, ["run", "examples/payment.vsp", "--mode", "dual_verify"]);
    expect(r.stdout).toContain("THE RUNTIMES DIVERGED");
    const s = show(store);
    expect(s).toMatchObject({ mode: "canary_direct", policy: "auto", comparisons: 401 });
    expect(s.history[0].kind).not.toBe("rollback");
  });

  it("a pinned canary_direct node stays where it is after a divergence in canary_direct", () => {
    const store = canaryNode(400);
    cli("vesper", ["mode", PAYMENT, "--set", "canary_direct"], { env: { VEYRA_STORE: store } });
    fixture("vesper-direct-fails.mjs", store, ["run", "examples/payment.vsp", "--mode", "auto", "--canary", "100"]);
    expect(show(store)).toMatchObject({ mode: "canary_direct", policy: "pinned", divergences: 1 });
  });
});
