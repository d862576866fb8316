import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, cli } from "../helpers/cli.js";

// A deliberately wrong direct-runtime operation (test fixture only): the debugger
// must stop at exactly the first step that uses it, with the right diff, and the
// same session on the correct implementation must run to the end with exit 0.

const store = join(mkdtempSync(join(tmpdir(), "vesper-debug-wrong-")), "vesper.db");

function wrongOp(variant: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "test/fixtures/vesper-wrong-op.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: "",
    env: { ...process.env, NO_COLOR: "1", VEYRA_STORE: store, VESPER_WRONG_OP: variant },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, any>);

const PAYMENT = ["debug", "examples/payment.vsp", "--comparative", "--sample", "default", "--input", "amount=99.95"];

describe("a wrong ROUND in the direct runtime", () => {
  it("stops at compute_fee, the first step that rounds, with fee 3.20 against 3.19, and exits 4", () => {
    const r = wrongOp("round", [...PAYMENT, "--break-on", "divergence", "--json", "--commands", "continue"]);
    expect(r.status, r.stderr).toBe(4);
    const events = lines(r.stdout);
    const stop = events.find((e) => e.event === "stop")!;
    expect(stop.reason).toBe("breakpoint");
    expect(stop.reference.at.step).toBe("compute_fee");
    expect(stop.direct.at.step).toBe("compute_fee");
    const fee = stop.diffs.find((d: any) => d.path === "fee");
    expect(fee).toMatchObject({ kind: "binding", reference: "3.2", direct: "3.19" });
    // Every step before it agreed: the first diverging step is the stop.
    const steps = events.filter((e) => e.event === "step");
    expect(steps.map((s) => s.reference.step)).toEqual(["enter", "check_amount", "compute_fee"]);
    expect(steps.slice(0, -1).every((s) => !s.diverged)).toBe(true);
    expect(steps.at(-1)!.first_binding).toBe("fee");
    // Caught before the charge call: neither runtime has made it.
    expect(stop.reference.next.step).toBe("start_processing");
    expect(events.at(-1)).toMatchObject({ event: "end", diverged: true, first_divergence: { step: "compute_fee" } });
  });

  it("shows the step, both values and the first binding that differs in the text view", () => {
    const r = wrongOp("round", [...PAYMENT, "--commands", "continue", "--width", "100"]);
    expect(r.status).toBe(4);
    expect(r.stdout).toContain("DIVERGENCE at step #2 'compute_fee' (examples/payment.vsp:64)");
    expect(r.stdout).toContain("first binding that differs: fee = ROUND(amount * 0.029 + 0.30, 2)");
    expect(r.stdout).toMatch(/reference\s+3\.2\n\s+direct\s+3\.19/);
    expect(r.stdout).toContain("THE RUNTIMES DIVERGED, first at step #2 'compute_fee'");
  });

  it("with the correct ROUND the same session runs to the end and exits 0", () => {
    const r = cli("vesper", [...PAYMENT, "--break-on", "divergence", "--json", "--commands", "continue"], {
      env: { VEYRA_STORE: store },
    });
    expect(r.status, r.stderr).toBe(0);
    const events = lines(r.stdout);
    expect(events.find((e) => e.event === "stop")).toMatchObject({ reason: "ended", diverged: false });
    expect(events.at(-1)).toMatchObject({
      event: "end",
      diverged: false,
      finished: true,
      reference: { status: "success" },
      direct: { status: "success" },
    });
    expect(events.filter((e) => e.event === "step").every((s) => !s.diverged)).toBe(true);
  });

  it("finds it the same way in the direct runtime's generated code", () => {
    const r = wrongOp("round", [...PAYMENT, "--direct-tier", "generated", "--json", "--commands", "continue"]);
    expect(r.status, r.stderr).toBe(4);
    const stop = lines(r.stdout).find((e) => e.event === "stop")!;
    expect(stop.direct.at.step).toBe("compute_fee");
    expect(stop.diffs[0]).toMatchObject({ path: "fee", reference: "3.2", direct: "3.19" });
  });

  it("with no commands at all (CI), runs to the first stop and the exit status says it diverged", () => {
    expect(wrongOp("round", PAYMENT).status).toBe(4);
    expect(cli("vesper", PAYMENT, { env: { VEYRA_STORE: store } }).status).toBe(0);
  });
});

describe("a wrong matmul in the direct runtime's engine calls", () => {
  const MLP = [
    "debug",
    "examples/mlp_inference.vsp",
    "--sample",
    "virginica_flower",
    "--json",
    "--commands",
    "continue",
  ];

  it("pins the divergence to the tensor step and its first matmul, with the worst element and the error norm", () => {
    const r = wrongOp("matmul", MLP);
    expect(r.status, r.stderr).toBe(4);
    const stop = lines(r.stdout).find((e) => e.event === "stop")!;
    expect(stop.reference.at.step).toBe("forward");
    const hidden = stop.diffs[0];
    expect(hidden.path).toBe("hidden");
    // The dropped last term is x[0][3] * w1[3][j]; with these weights only hidden[0][0] survives relu.
    expect(hidden.tensor.worst_index).toEqual([0, 0]);
    expect(hidden.tensor.reference).toBeCloseTo(11.8136, 3);
    expect(hidden.tensor.direct).toBeCloseTo(11.8136 - 2.3 * 4.595, 3);
    expect(hidden.tensor.relative_error).toBeGreaterThan(0.5);
    expect(hidden.tensor.error_norm).toBeCloseTo(2.3 * 4.595, 3);
    expect(hidden.tensor.elements_over_tolerance).toBe(1);
  });

  it("agrees within the node's tolerance (float32 against float64) with the correct engine", () => {
    const r = cli("vesper", MLP, { env: { VEYRA_STORE: store } });
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stdout).at(-1)).toMatchObject({ event: "end", diverged: false, finished: true });
  });
});
