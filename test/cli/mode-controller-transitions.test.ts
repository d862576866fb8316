import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ROOT, cli } from "../helpers/cli.js";

// The migration controller end to end through bin/: promotion as vesper test adds
// clean comparisons, demotion when the wrong-ROUND fixture's divergences pull the
// confidence down, pinning, and the rollback vesper run triggers on auto.
const newStore = () => join(mkdtempSync(join(tmpdir(), "vesper-mode-")), "vesper.db");
const MLP = "ml.iris_mlp_inference@1.0.0";
const PAYMENT = "payments.process_payment@1.0.0";

function wrong(store: string, args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "test/fixtures/vesper-wrong-op.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: "",
    env: { ...process.env, NO_COLOR: "1", VEYRA_STORE: store, VESPER_WRONG_OP: "round" },
  });
}

const mode = (store: string, args: string[]) => cli("vesper", ["mode", ...args], { env: { VEYRA_STORE: store } });
const show = (store: string, node: string) => JSON.parse(mode(store, [node, "--json"]).stdout);
const test = (store: string, file: string, runs: number, seed: number) =>
  cli("vesper", ["test", file, "--runs", String(runs), "--seed", String(seed), "--json"], {
    env: { VEYRA_STORE: store },
  });

describe("vesper mode: the controller's transitions", () => {
  it("promotes an auto node as confidence rises: shadow_direct, canary_direct at 206 comparisons, dual_verify at 10,814", () => {
    const store = newStore();
    expect(test(store, "examples/mlp_inference.vsp", 150, 1).status).toBe(0);
    const handed = mode(store, [MLP, "--auto"]);
    expect(handed.status).toBe(0);
    expect(handed.stdout).toContain(`${MLP}: promoted: reference_only → shadow_direct: confidence 0.932`);
    expect(show(store, MLP)).toMatchObject({ mode: "shadow_direct", policy: "auto", comparisons: 150 });

    expect(test(store, "examples/mlp_inference.vsp", 100, 2).status).toBe(0);
    expect(show(store, MLP)).toMatchObject({ mode: "canary_direct", comparisons: 250 });

    expect(test(store, "examples/mlp_inference.vsp", 10_000, 1).status).toBe(0);
    expect(show(store, MLP).mode).toBe("canary_direct");
    expect(test(store, "examples/mlp_inference.vsp", 600, 2).status).toBe(0);
    const s = show(store, MLP);
    expect(s).toMatchObject({ mode: "dual_verify", comparisons: 10_850, recommended_mode: "dual_verify" });
    expect(s.history.map((h: { kind: string; to: string }) => `${h.kind} ${h.to}`)).toEqual([
      "promote dual_verify",
      "promote canary_direct",
      "promote shadow_direct",
      "auto reference_only",
    ]);
    expect(s.reason).toMatch(/^confidence 0\.9990\d+ over 10850 comparisons reached the dual_verify threshold 0\.999$/);
  }, 120_000);

  it("demotes an auto node when divergences pull its confidence below its mode's threshold", () => {
    const store = newStore();
    test(store, "examples/payment.vsp", 400, 1);
    mode(store, [PAYMENT, "--auto"]);
    expect(show(store, PAYMENT).mode).toBe("canary_direct");
    expect(
      wrong(store, [
        "test",
        "examples/payment.vsp",
        "--runs",
        "200",
        "--seed",
        "5",
        "--case",
        join(store, "..", "c.yaml"),
      ]).status,
    ).toBe(4);
    const s = show(store, PAYMENT);
    expect(s.mode).toBe("shadow_direct");
    expect(s.history[0]).toMatchObject({ kind: "demote", from: "canary_direct", to: "shadow_direct" });
    expect(s.reason).toMatch(/^confidence 0\.\d+ over \d+ comparisons fell below the canary_direct threshold 0\.95$/);
  });

  it("a pinned node stays where it was pinned, whatever the evidence", () => {
    const store = newStore();
    test(store, "examples/payment.vsp", 50, 1);
    const pinned = mode(store, [PAYMENT, "--set", "direct_only"]);
    expect(pinned.stdout).toContain(
      `${PAYMENT}: pinned: (none) → direct_only: pinned by vesper mode --set direct_only`,
    );
    wrong(store, [
      "test",
      "examples/payment.vsp",
      "--runs",
      "200",
      "--seed",
      "5",
      "--case",
      join(store, "..", "c.yaml"),
    ]);
    const s = show(store, PAYMENT);
    expect(s).toMatchObject({ mode: "direct_only", policy: "pinned", recommended_mode: "reference_only" });
    expect(s.divergences).toBeGreaterThan(0);
    const text = mode(store, [PAYMENT]).stdout;
    expect(text).toMatch(/^ {2}mode {9}direct_only \(pinned: the controller leaves it\)$/m);
  });

  const runObserves = readFileSync(join(ROOT, "commands/run.ts"), "utf8").includes("observeExecution");
  it.skipIf(!runObserves)(
    "vesper run --mode auto rolls a direct_only node back to dual_verify on a divergence (needs run.ts to call observeExecution)",
    () => {
      const store = newStore();
      test(store, "examples/payment.vsp", 20, 1);
      // 200,000 clean comparisons, as months of traffic would leave them.
      const db = new Database(store);
      db.prepare(
        "INSERT INTO comparisons (node_id, source, compared, agreed, first_at, last_at) VALUES (?, 'dual_verify', 200000, 200000, 0, 0)",
      ).run(PAYMENT);
      db.close();
      mode(store, [PAYMENT, "--auto"]);
      expect(show(store, PAYMENT).mode).toBe("direct_only");
      const r = wrong(store, ["run", "examples/payment.vsp", "--mode", "auto", "--sample-percent", "100", "--json"]);
      expect(JSON.parse(r.stdout).divergence).not.toBeNull();
      const s = show(store, PAYMENT);
      expect(s).toMatchObject({ mode: "dual_verify", policy: "auto" });
      expect(s.history[0]).toMatchObject({ kind: "rollback", from: "direct_only", to: "dual_verify" });
      expect(s.reason).toMatch(
        /^automatic rollback from direct_only: the runtimes diverged in direct_only on inputs [0-9a-f]{16}/,
      );
    },
  );
});

describe("vesper mode: bad usage exits 2 and writes nothing", () => {
  const store = newStore();
  test(store, "examples/sensor_anomaly.vsp", 10, 1);
  const modeChanges = () =>
    new Database(store, { readonly: true }).prepare("SELECT COUNT(*) AS n FROM mode_changes").get();

  it("a mode name typo names the flag, lists the modes and suggests the closest", () => {
    const r = mode(store, ["telemetry.sensor_anomaly@1.0.0", "--set", "dual_verfy"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "vesper: error: --set must be one of reference_only, shadow_direct, canary_direct, dual_verify, direct_only, not 'dual_verfy'; did you mean 'dual_verify'?\n",
    );
    expect(modeChanges()).toEqual({ n: 0 });
  });

  it("an unknown node id suggests the closest known one", () => {
    const r = mode(store, ["telemetry.sensor_anomoly@1.0.0", "--set", "dual_verify"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "has nothing for node 'telemetry.sensor_anomoly@1.0.0'; did you mean 'telemetry.sensor_anomaly@1.0.0'?",
    );
    expect(modeChanges()).toEqual({ n: 0 });
  });

  it("--set with --auto is refused", () => {
    const r = mode(store, ["telemetry.sensor_anomaly@1.0.0", "--set", "dual_verify", "--auto"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--set and --auto cannot be combined");
  });

  it("a missing store is an error and is not created", () => {
    const missing = newStore();
    const r = mode(missing, ["telemetry.sensor_anomaly@1.0.0"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no trace store at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});
