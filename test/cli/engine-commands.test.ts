import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

// `veyra engine info` and `veyra engine bench` as a user runs them. No timing is
// asserted: the bench runs with --quick and only its checks are looked at.

function veyra(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [`${ROOT}/bin/veyra.js`, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", VEYRA_BACKEND: "", NODE_DEBUG: "", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe("veyra engine info", () => {
  it("--json names wasm as active and says why tensorflow and webgpu are not", () => {
    const r = veyra(["engine", "info", "--json"]);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({
      name: "tfjs",
      backend: "wasm",
      version: "4.22.0",
      selectedBy: "auto",
      device: { kind: "cpu", simd: true },
    });
    const reasons = Object.fromEntries(info.backends.map((b: { name: string; reason?: string }) => [b.name, b.reason]));
    expect(reasons.tensorflow).toMatch(/not installed.*libtensorflow/);
    expect(reasons.webgpu).toMatch(/not installed.*webgpu/);
  });

  it("prints the backend, the device and one line per other backend", () => {
    const r = veyra(["engine", "info"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^active backend {2}wasm \(TensorFlow\.js 4\.22\.0\), chosen automatically/m);
    expect(r.stdout).toMatch(/^device {10}.+\d+ cores?, \d+ threads?, WebAssembly SIMD$/m);
    expect(r.stdout).toMatch(/^ {2}tensorflow {2}skipped: not installed/m);
    expect(r.stdout).toMatch(/^ {2}webgpu {6}skipped: not installed/m);
    expect(r.stdout).toMatch(/^ {2}cpu {9}not tried: wasm comes before it/m);
  });

  it("--backend and VEYRA_BACKEND pick the backend", () => {
    expect(JSON.parse(veyra(["engine", "info", "--json", "--backend", "cpu"]).stdout)).toMatchObject({
      backend: "cpu",
      selectedBy: "--backend",
    });
    expect(JSON.parse(veyra(["engine", "info", "--json"], { VEYRA_BACKEND: "cpu" }).stdout)).toMatchObject({
      backend: "cpu",
      selectedBy: "VEYRA_BACKEND",
    });
  });

  it("an unknown backend is bad usage (exit 2) naming the flag or variable", () => {
    const flag = veyra(["engine", "info", "--backend", "nope"]);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toBe(
      "veyra: error: unknown backend 'nope' given by --backend; choose one of tensorflow, webgpu, wasm, cpu\n",
    );
    const env = veyra(["engine", "bench", "--quick"], { VEYRA_BACKEND: "gpu" });
    expect(env.status).toBe(2);
    expect(env.stderr).toContain("unknown backend 'gpu' given by VEYRA_BACKEND");
    const threads = veyra(["engine", "info"], { VEYRA_WASM_THREADS: "zero" });
    expect(threads.status).toBe(2);
    expect(threads.stderr).toContain("VEYRA_WASM_THREADS must be a whole number");
  });

  it("a named backend that cannot start fails (exit 1) with the reason and no stack trace", () => {
    const r = veyra(["engine", "info", "--backend", "webgpu"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^veyra engine info: error: the webgpu backend \(named by --backend\) cannot start: not installed: /,
    );
    noStack(r.stderr);
  });
});

describe("veyra engine bench", () => {
  it("--quick --json: every workload agrees with float64 before it is timed", () => {
    const r = veyra(["engine", "bench", "--quick", "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ backend: "wasm", quick: true });
    expect(out.cases.map((c: { name: string }) => c.name)).toEqual([
      "matmul",
      "matmul",
      "matmul",
      "elementwise chain",
      "softmax",
      "MLP train step",
    ]);
    for (const c of out.cases) {
      expect(c.ok).toBe(true);
      expect(c.relError).toBeLessThanOrEqual(c.tolerance);
      expect(c.figure).toBeGreaterThan(0);
    }
    expect(out.cases.map((c: { unit: string }) => c.unit)).toEqual([
      "GFLOP/s",
      "GFLOP/s",
      "GFLOP/s",
      "Melem/s",
      "Melem/s",
      "samples/s",
    ]);
  });

  it("prints a table with the relative error of each workload, on the cpu backend too", () => {
    const r = veyra(["engine", "bench", "--quick", "--backend", "cpu"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^backend cpu .*TensorFlow\.js 4\.22\.0$/m);
    expect(r.stdout).toMatch(/^matmul +64×64×64 +[\d.]+ GFLOP\/s +\d\.\de-\d+ ≤ 1e-5$/m);
    expect(r.stdout).toMatch(/^MLP train step +batch 16, 8→16→3 +\d+ samples\/s +\d\.\de-\d+ ≤ 1e-4/m);
  });
});

describe("start-up", () => {
  it("veyra --help does not load TensorFlow.js; veyra engine info does", () => {
    // NODE_DEBUG=module logs every CommonJS load; the TensorFlow.js packages are CommonJS.
    expect(veyra(["--help"], { NODE_DEBUG: "module" }).stderr).not.toContain("@tensorflow");
    expect(veyra(["engine", "--help"], { NODE_DEBUG: "module" }).stderr).not.toContain("@tensorflow");
    expect(veyra(["engine", "info"], { NODE_DEBUG: "module" }).stderr).toContain("@tensorflow");
  });
});
