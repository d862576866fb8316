import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join, sep } from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { BackendChoiceError } from "./backend-choice.js";
import { logicalCores } from "./device.js";
import { quietly, reasonOf } from "./quiet.js";

// Starts the wasm backend from the files inside the npm package (nothing is fetched).
//
// Out of the box TensorFlow.js runs wasm on one thread in Node: its
// WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false there, because the
// threaded build's pthread workers are handed to Emscripten as blob: URLs, which
// Node's worker_threads cannot load. The threaded build itself supports Node (its
// worker script switches to worker_threads), so we start it ourselves: the worker
// script goes to a private temporary file, the main script is given as a file
// path, and XNNPACK's thread pool is sized by reporting twice the wanted threads
// as "logical cores" (tfjs halves that number, assuming hyper-threading). On a
// 2-core machine this doubles matmul throughput (docs/engine.md has the numbers).
// If anything in that path fails, the stock single-threaded SIMD build starts
// instead and the reason is kept as a note.
//
// This leans on the package's file layout (wasm-out/, BackendWasm), which is why
// @tensorflow/tfjs-backend-wasm is pinned to an exact version.

type Tf = typeof TF;
type WasmPackage = typeof import("@tensorflow/tfjs-backend-wasm");

const require = createRequire(import.meta.url);
/** Emscripten pre-spawns this many pthread workers; the pool cannot use more. */
const MAX_THREADS = 8;
/** A threaded start that takes longer than this has hung on a worker. */
const START_TIMEOUT_MS = 30_000;

/** Set once this process has a wasm backend; TensorFlow.js keeps it until exit. */
let started: WasmStart | undefined;

export interface WasmStart {
  threads: number;
  simd: boolean;
  build: "threaded-simd" | "simd" | "plain";
  notes: string[];
}

/** Threads to use: VEYRA_WASM_THREADS when set (1 turns threading off), else every core. */
export function wantedWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.VEYRA_WASM_THREADS?.trim();
  const n = raw ? Number(raw) : logicalCores();
  if (!Number.isInteger(n) || n < 1)
    throw new BackendChoiceError(`VEYRA_WASM_THREADS must be a whole number of at least 1, got '${raw}'`);
  return Math.min(n, MAX_THREADS);
}

export async function startWasm(tf: Tf, wantedThreads: number): Promise<WasmStart> {
  if (started) {
    const set = await quietly(() => tf.setBackend("wasm"));
    if (!set.value) throw new Error(reasonOf(set.error, set.said));
    return started;
  }
  const pkg: WasmPackage = await import("@tensorflow/tfjs-backend-wasm");
  const dist = dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + sep;
  const notes: string[] = [];
  // Must precede the first start; later calls throw once a start was attempted.
  try {
    pkg.setWasmPaths(dist);
  } catch {
    // Already configured by an earlier engine in this process.
  }
  const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));

  if (wantedThreads > 1) {
    const why = threadsUnsupported(simd);
    if (why) notes.push(`running on one thread: ${why}`);
    else {
      const started = await quietly(() => startThreaded(pkg, dist, wantedThreads));
      if (started.value) {
        tf.removeBackend("wasm");
        tf.registerBackend("wasm", () => started.value!, 2);
      } else {
        notes.push(
          `running on one thread: the multi-threaded build did not start (${reasonOf(started.error, started.said)})`,
        );
      }
    }
  }

  const set = await quietly(() => tf.setBackend("wasm"));
  if (!set.value) throw new Error(reasonOf(set.error, set.said));
  const threads = pkg.getThreadsCount();
  started = { threads, simd, build: threads > 1 ? "threaded-simd" : simd ? "simd" : "plain", notes };
  return started;
}

function threadsUnsupported(simd: boolean): string | undefined {
  if (!simd) return "this Node has no WebAssembly SIMD, which the threaded build needs";
  if (typeof SharedArrayBuffer !== "function") return "SharedArrayBuffer is not available";
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return "this Node cannot create shared WebAssembly memory";
  }
  return undefined;
}

// The project's TypeScript lib has no WebAssembly declarations; these are the parts used.
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => unknown;
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: unknown; module: unknown }>;
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type PthreadWorker = { unref(): void; terminate(): Promise<number> };
type EmscriptenModule = { cwrap: (name: string, ret: string | null, args: string[]) => unknown } & Record<
  string,
  unknown
>;

async function startThreaded(pkg: WasmPackage, dist: string, threads: number) {
  const wasmOut = join(dist, "..", "wasm-out");
  const mainScript = join(wasmOut, "tfjs-backend-wasm-threaded-simd.js");
  const factory = require(mainScript) as (config: object) => Promise<EmscriptenModule>;
  const { wasmWorkerContents } = require(join(wasmOut, "tfjs-backend-wasm-threaded-simd.worker.js")) as {
    wasmWorkerContents: string;
  };
  const binary = readFileSync(join(dist, "tfjs-backend-wasm-threaded-simd.wasm"));
  // A fresh private directory (mode 0700) so no other user can swap the script we run.
  const dir = mkdtempSync(join(os.tmpdir(), "veyra-wasm-"));
  const workerScript = join(dir, "pthread-worker.cjs");
  // The package escapes newlines the same way before it makes its blob.
  writeFileSync(workerScript, wasmWorkerContents.replace(/\n/g, "\\n"), { mode: 0o600 });
  const errors: string[] = [];
  try {
    const module = await withTimeout(
      factory({
        locateFile: (path: string) => (path.endsWith(".worker.js") ? workerScript : join(dist, path)),
        mainScriptUrlOrBlob: mainScript,
        printErr: (text: string) => errors.push(text),
        instantiateWasm(info: { env: Record<string, unknown> }, receive: (instance: unknown, module: unknown) => void) {
          info.env.emscripten_num_logical_cores = () => threads * 2;
          WebAssembly.instantiate(binary, info).then(
            (r) => receive(r.instance, r.module),
            (e: unknown) => errors.push(String(e)),
          );
          return {};
        },
      }),
      START_TIMEOUT_MS,
      () =>
        `no answer from the pthread workers after ${START_TIMEOUT_MS / 1000} s${errors.length ? `: ${errors[0]}` : ""}`,
    );
    // The same bridge the package builds in its own init().
    module.tfjs = {
      init: module.cwrap("init", null, []),
      initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
      getThreadsCount: module.cwrap("get_threads_count", "number", []),
      registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
      disposeData: module.cwrap("dispose_data", null, ["number"]),
      dispose: module.cwrap("dispose", null, []),
    };
    pkg.setThreadsCount(threads);
    // The constructor creates XNNPACK's pool, taking threads from the pre-spawned workers.
    const backend = new pkg.BackendWasm(module as never);
    // Emscripten refs a worker while its pthread runs, so Node will not exit under a
    // running thread. XNNPACK's pool threads run (idle) for the life of the process,
    // which would keep every command alive after its work is done: unref them all.
    const pthreads = module.PThread as { runningWorkers: PthreadWorker[]; unusedWorkers: PthreadWorker[] };
    for (const worker of pthreads.runningWorkers) worker.unref();
    // Emscripten pre-spawned 8 workers; the pool took threads - 1 of them and nothing
    // in TensorFlow.js creates threads later. The rest cost ~12 MB each: end them.
    for (const worker of pthreads.unusedWorkers.splice(0)) void worker.terminate();
    return backend;
  } finally {
    // Every worker has read the script by the time the module is ready.
    rmSync(dir, { recursive: true, force: true });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, why: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why())), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
