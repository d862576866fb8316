import type { Tensor } from "../values/values.js";

// The one interface the direct runtime (and later the seed trainer) sends tensor
// work through. Operations take and return host tensors and are synchronous: an
// engine finishes its asynchronous start-up in its factory, so a compiled node can
// call it inside a step without awaiting. Shape problems throw ShapeError
// (reference-kernels.ts), which the runtimes report as R105 at the expression.

export type ElementwiseOp = "add" | "sub" | "mul" | "div" | "mod";
export type UnaryOp = "neg" | "abs" | "relu" | "exp" | "sqrt";
export type ReduceOp = "sum" | "mean" | "max" | "min";

export interface EngineMemory {
  /** Tensors the engine holds right now (0 for engines that hold none between calls). */
  tensors: number;
  bytes: number;
}

/** Where the engine runs, as far as its backend can tell. */
export interface EngineDevice {
  /** "cpu" for wasm, cpu and js; "gpu" for webgpu and a CUDA tensorflow build. */
  kind: "cpu" | "gpu";
  /** CPU model, or the GPU's name where the backend exposes it. */
  name: string;
  /** Logical cores the machine offers (cpu kinds). */
  cores?: number;
  /** Threads the backend computes on (wasm: XNNPACK's pool; cpu and js: 1). */
  threads?: number;
  /** 128-bit WebAssembly SIMD in use (wasm only). */
  simd?: boolean;
  /** GPU memory in bytes where the backend exposes it. */
  memoryBytes?: number;
  /** Anything else worth knowing, e.g. the WebGPU adapter's vendor and architecture. */
  details?: Record<string, string | number | boolean>;
}

/** One backend's fate during selection: the one that runs, or why another does not. */
export interface BackendReport {
  name: string;
  status: "active" | "skipped" | "failed" | "not tried";
  /** Why it is not active (absent for the active one). */
  reason?: string;
}

export interface EngineInfo {
  name: string;
  backend: string;
  /** The TensorFlow.js version, or null for engines that do not use it. */
  version: string | null;
  device: EngineDevice;
  /** How the backend was chosen: first that works, or named by a flag or VEYRA_BACKEND. */
  selectedBy: "auto" | "--backend" | "VEYRA_BACKEND";
  /** Every backend in selection order, the active one included. */
  backends: BackendReport[];
  /** Things a user should know about the active backend (e.g. a fallback to one thread). */
  notes: string[];
}

export interface Engine {
  /** Implementation name, e.g. "float32-loops" or "tfjs". */
  readonly name: string;
  /** The backend that runs the kernels, e.g. "js", "wasm", "cpu", "webgpu", "tensorflow". */
  readonly backend: string;
  /** Element type of results; the reference runtime is float64, engines are usually float32. */
  readonly dtype: "float32" | "float64";
  /** `a op b` elementwise with NumPy broadcasting; a number acts as a rank-0 tensor. */
  elementwise(op: ElementwiseOp, a: Tensor | number, b: Tensor | number): Tensor;
  unary(op: UnaryOp, a: Tensor): Tensor;
  matmul(a: Tensor, b: Tensor): Tensor;
  transpose(a: Tensor): Tensor;
  /** Softmax over the last axis. */
  softmax(a: Tensor): Tensor;
  /** Reduces all elements (a number) or one axis (a tensor of lower rank, or a number at rank 0). */
  reduce(op: ReduceOp, a: Tensor, axis?: number): Tensor | number;
  memory(): EngineMemory;
  /** The active backend and device, and why each other backend is not active. */
  info(): EngineInfo;
  dispose(): void;
}
