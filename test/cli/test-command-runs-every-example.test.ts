import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// `vesper test` end to end on every example with the correct runtimes (the
// 10,000-input zero-divergence run is in test/unit/verify, in-process, with the
// same seed: its first 300 inputs are these).
const store = join(mkdtempSync(join(tmpdir(), "vesper-test-cli-")), "vesper.db");
const env = { VEYRA_STORE: store };

describe("vesper test on the examples", () => {
  it.each(["payment", "order_total", "refund", "http_fetch", "sensor_anomaly", "mlp_inference"])(
    "%s: no divergence, counts add up, JSON summary",
    (name) => {
      const r = cli("vesper", ["test", `examples/${name}.vsp`, "--runs", "300", "--seed", "1", "--json"], { env });
      const s = JSON.parse(r.stdout);
      expect(s).toMatchObject({
        kind: "differential",
        seed: 1,
        tools: "simulated",
        runs: 300,
        diverged: 0,
        first_divergence: null,
        case_file: null,
      });
      expect(s.compared + s.discarded + s.crashed).toBe(300);
      expect(s.agreed).toBe(s.compared);
      // A runtime crash is a vesper bug: reported, and exit 1 rather than a pass.
      if (s.crashed > 0) {
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/inputs crashed the (reference|direct) runtime \(a vesper bug, please report it\)/);
      } else {
        expect(r.status).toBe(0);
        expect(r.stderr).toBe("");
      }
    },
  );

  it("the same --seed generates the same inputs: identical counts, and the comparisons accumulate in the store", () => {
    const a = JSON.parse(
      cli("vesper", ["test", "examples/order_total.vsp", "--runs", "150", "--seed", "4", "--json"], { env }).stdout,
    );
    const b = JSON.parse(
      cli("vesper", ["test", "examples/order_total.vsp", "--runs", "150", "--seed", "4", "--json"], { env }).stdout,
    );
    expect([b.compared, b.discarded, b.agreed]).toEqual([a.compared, a.discarded, a.agreed]);
    expect(b.comparisons_in_store).toBe(a.comparisons_in_store + b.compared);
    const db = new Database(store, { readonly: true });
    const runs = db
      .prepare("SELECT kind, seed, runs FROM test_runs WHERE node_id = 'shop.order_total@1.0.0' AND seed = '4'")
      .all();
    db.close();
    expect(runs).toEqual([
      { kind: "differential", seed: "4", runs: 150 },
      { kind: "differential", seed: "4", runs: 150 },
    ]);
  });

  it("the text summary states the counts, the confidence and the recommended mode", () => {
    const own = { VEYRA_STORE: join(mkdtempSync(join(tmpdir(), "vesper-test-cli-")), "vesper.db") };
    const r = cli("vesper", ["test", "examples/mlp_inference.vsp", "--runs", "250", "--seed", "3"], { env: own });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^ml\.iris_mlp_inference@1\.0\.0: differential \(reference against direct\), 250 inputs, seed 3, tools simulated$/m,
    );
    expect(r.stdout).toMatch(/^ {2}compared 250, agreed 250, diverged 0, discarded 0 \(0\.0%\)$/m);
    expect(r.stdout).toMatch(
      /^ {2}confidence 0\.95\d+: Wilson lower bound \(z = 3\.29\) over 250 comparisons in the store, 0 diverged \(this version of the node: evidence of an edited file starts from zero\)$/m,
    );
    expect(r.stdout).toMatch(/^ {2}recommended mode canary_direct$/m);
  });

  it("without --seed a random seed is chosen and printed, so the run can be repeated", () => {
    const r = cli("vesper", ["test", "examples/sensor_anomaly.vsp", "--runs", "20", "--json"], { env });
    const seed = JSON.parse(r.stdout).seed;
    expect(Number.isInteger(seed)).toBe(true);
    const again = JSON.parse(
      cli("vesper", ["test", "examples/sensor_anomaly.vsp", "--runs", "20", "--seed", String(seed), "--json"], { env })
        .stdout,
    );
    expect(again.compared).toBe(JSON.parse(r.stdout).compared);
  });
});
