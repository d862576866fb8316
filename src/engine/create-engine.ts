import type * as TF from "@tensorflow/tfjs";
import {
  BACKEND_ORDER,
  BackendStartError,
  resolveBackendRequest,
  type BackendName,
  type BackendRequest,
} from "./backend-choice.js";
import { cpuDevice } from "./device.js";
import type { BackendReport, EngineDevice, EngineInfo } from "./engine.js";
import { quietly, reasonOf } from "./quiet.js";
import { startTensorflow } from "./tensorflow-backend.js";
import { TfjsEngine } from "./tfjs-engine.js";
import { startWasm, wantedWasmThreads } from "./wasm-backend.js";
import { startWebgpu } from "./webgpu-backend.js";

// The one way to get an engine: loads TensorFlow.js (never on the start-up path of
// commands that need no tensors: callers import this module lazily), then walks the
// backends in order (tensorflow, webgpu, wasm, cpu) and keeps the first that starts,
// recording why each earlier one did not. A backend named by --backend or
// VEYRA_BACKEND is the only one tried, and if it cannot start that is an error.
//
// TensorFlow.js has one active backend per process, so engines created one after
// another share it: the latest createEngine decides which backend runs.

type Tf = typeof TF;

export interface EngineOptions {
  /** The --backend flag's value, if given. */
  backend?: string;
  env?: NodeJS.ProcessEnv;
}

interface Started {
  device: EngineDevice;
  notes: string[];
  release?: () => void;
}

export async function createEngine(options: EngineOptions = {}): Promise<TfjsEngine> {
  const env = options.env ?? process.env;
  // Configuration mistakes are usage errors, found before anything starts.
  const request = resolveBackendRequest(options.backend, env);
  const wasmThreads = wantedWasmThreads(env);
  const loaded = await quietly(() => import("@tensorflow/tfjs"));
  if (!loaded.value) throw new Error(`TensorFlow.js did not load: ${reasonOf(loaded.error, loaded.said)}`);
  const tf = loaded.value;
  const candidates: readonly BackendName[] = request.name ? [request.name] : BACKEND_ORDER;
  const reports: BackendReport[] = [];
  for (const name of candidates) {
    let started: Started;
    try {
      started = await start(tf, name, wasmThreads);
    } catch (err) {
      const reason = reasonOf(err);
      if (request.name) throw new BackendStartError(name, request.selectedBy, reason);
      reports.push({ name, status: /^not installed/.test(reason) ? "skipped" : "failed", reason });
      continue;
    }
    // From here on TensorFlow.js keeps its advice to itself (e.g. the cpu backend's
    // "install tfjs-node" banner on first use): commands own their output.
    tf.env().set("PROD", true);
    reports.push({ name, status: "active" });
    if (request.name) reports.push(...othersWhenNamed(name, request));
    else {
      for (const later of BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(name) + 1)) {
        reports.push({
          name: later,
          status: "not tried",
          reason: `${name} comes before it in the selection order and started`,
        });
      }
    }
    const info: EngineInfo = {
      name: "tfjs",
      backend: name,
      version: tf.version.tfjs,
      device: started.device,
      selectedBy: request.selectedBy,
      backends: sortByOrder(reports),
      notes: started.notes,
    };
    return new TfjsEngine(tf, name, () => JSON.parse(JSON.stringify(info)) as EngineInfo, started.release);
  }
  // cpu is pure JavaScript and always starts, so this is reached only if it did not.
  throw new Error(`no TensorFlow.js backend started: ${reports.map((r) => `${r.name}: ${r.reason}`).join("; ")}`);
}

async function start(tf: Tf, name: BackendName, wasmThreads: number): Promise<Started> {
  switch (name) {
    case "tensorflow": {
      const t = await startTensorflow(tf);
      return { device: t.device, notes: [`through ${t.package}`] };
    }
    case "webgpu": {
      const w = await startWebgpu(tf);
      return { device: w.device, notes: [], release: w.release };
    }
    case "wasm": {
      const w = await startWasm(tf, wasmThreads);
      const build =
        w.threads > 1 ? `${w.build} build, XNNPACK on ${w.threads} threads` : `${w.build} build, one thread`;
      return { device: cpuDevice(w.threads, w.simd), notes: [build, ...w.notes] };
    }
    case "cpu": {
      const set = await quietly(() => tf.setBackend("cpu"));
      if (!set.value) throw new Error(reasonOf(set.error, set.said));
      return { device: cpuDevice(1), notes: ["pure JavaScript kernels, one thread"] };
    }
  }
}

function othersWhenNamed(name: BackendName, request: BackendRequest): BackendReport[] {
  return BACKEND_ORDER.filter((b) => b !== name).map((b) => ({
    name: b,
    status: "not tried" as const,
    reason: `${request.selectedBy} named ${name}`,
  }));
}

function sortByOrder(reports: BackendReport[]): BackendReport[] {
  const seen = new Map(reports.map((r) => [r.name, r]));
  return BACKEND_ORDER.map((b) => seen.get(b)!).filter(Boolean);
}
