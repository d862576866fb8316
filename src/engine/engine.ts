import type { Tensor } from "../runtime/values.js";

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
  dispose(): void;
}
