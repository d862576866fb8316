import { describe, expect, it } from "vitest";
import { BackendChoiceError, BackendStartError, resolveBackendRequest } from "../../../src/engine/backend-choice.js";
import { createEngine } from "../../../src/engine/create-engine.js";
import { isInstalled } from "../../../src/engine/optional-package.js";
import { wantedWasmThreads } from "../../../src/engine/wasm-backend.js";

// Which backend runs: the flag over VEYRA_BACKEND over the fixed order; misspelt
// names are usage errors; a named backend that cannot start is an error with the
// reason, never a silent fallback; auto-selection says why each backend lost.

const tensorflowInstalled = isInstalled("@tensorflow/tfjs-node") || isInstalled("@tensorflow/tfjs-node-gpu");
const webgpuInstalled = isInstalled("webgpu") && isInstalled("@tensorflow/tfjs-backend-webgpu");

describe("choosing a backend", () => {
  it("--backend wins over VEYRA_BACKEND, which wins over the selection order", () => {
    expect(resolveBackendRequest("cpu", { VEYRA_BACKEND: "wasm" })).toEqual({ name: "cpu", selectedBy: "--backend" });
    expect(resolveBackendRequest(undefined, { VEYRA_BACKEND: " WASM " })).toEqual({
      name: "wasm",
      selectedBy: "VEYRA_BACKEND",
    });
    expect(resolveBackendRequest(undefined, { VEYRA_BACKEND: "" })).toEqual({ selectedBy: "auto" });
    expect(resolveBackendRequest(undefined, {})).toEqual({ selectedBy: "auto" });
  });

  it("an unknown name is a usage error that names where it came from and the choices", () => {
    expect(() => resolveBackendRequest("nope", {})).toThrow(BackendChoiceError);
    expect(() => resolveBackendRequest("nope", {})).toThrow(
      "unknown backend 'nope' given by --backend; choose one of tensorflow, webgpu, wasm, cpu",
    );
    expect(() => resolveBackendRequest(undefined, { VEYRA_BACKEND: "gpu" })).toThrow("given by VEYRA_BACKEND");
  });

  it("VEYRA_WASM_THREADS must be a positive whole number; threads are capped at Emscripten's pool of 8", () => {
    expect(wantedWasmThreads({ VEYRA_WASM_THREADS: "1" })).toBe(1);
    expect(wantedWasmThreads({ VEYRA_WASM_THREADS: "64" })).toBe(8);
    expect(wantedWasmThreads({})).toBeGreaterThanOrEqual(1);
    for (const bad of ["0", "-2", "1.5", "two"])
      expect(() => wantedWasmThreads({ VEYRA_WASM_THREADS: bad })).toThrow(BackendChoiceError);
  });

  it.skipIf(tensorflowInstalled || webgpuInstalled)(
    "auto-selection here: wasm is active, tensorflow and webgpu say they are not installed and why",
    async () => {
      const engine = await createEngine({ env: {} });
      const info = engine.info();
      expect(info.backend).toBe("wasm");
      expect(info.selectedBy).toBe("auto");
      expect(info.version).toBe("4.22.0");
      expect(info.device).toMatchObject({ kind: "cpu", simd: true });
      expect(info.device.threads).toBeGreaterThanOrEqual(1);
      const byName = Object.fromEntries(info.backends.map((b) => [b.name, b]));
      expect(info.backends.map((b) => b.name)).toEqual(["tensorflow", "webgpu", "wasm", "cpu"]);
      expect(byName.tensorflow).toMatchObject({ status: "skipped" });
      expect(byName.tensorflow!.reason).toMatch(
        /^not installed: .*downloads libtensorflow from outside the npm registry/,
      );
      expect(byName.webgpu).toMatchObject({ status: "skipped" });
      expect(byName.webgpu!.reason).toMatch(/^not installed: .*webgpu/);
      expect(byName.wasm).toEqual({ name: "wasm", status: "active" });
      expect(byName.cpu).toMatchObject({ status: "not tried" });
      engine.dispose();
    },
  );

  it.skipIf(webgpuInstalled)(
    "a named backend that cannot start is an error with the reason, not a fallback",
    async () => {
      const failure = createEngine({ backend: "webgpu", env: {} });
      await expect(failure).rejects.toThrow(BackendStartError);
      await expect(failure).rejects.toThrow(/^the webgpu backend \(named by --backend\) cannot start: not installed/);
      await expect(createEngine({ env: { VEYRA_BACKEND: "tensorflow" } })).rejects.toThrow(
        tensorflowInstalled ? /named by VEYRA_BACKEND/ : /named by VEYRA_BACKEND\) cannot start: not installed/,
      );
    },
  );
});
