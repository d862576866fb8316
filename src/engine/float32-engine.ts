import type { ElementwiseOp, Engine, EngineInfo, ReduceOp, UnaryOp } from "./engine.js";
import { cpuDevice } from "./device.js";
import * as K from "../values/reference-kernels.js";
import { Tensor } from "../values/values.js";

// The engine the direct runtime uses when no TensorFlow.js backend is loaded: the
// plain-loop kernels with every result stored as float32, so the comparator sees
// the same kind of low-bit differences it will see from a real float32 engine.

const ELEMENTWISE: Record<ElementwiseOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  mod: (x, y) => x % y,
};

const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  relu: (x) => (x > 0 ? x : 0),
  exp: Math.exp,
  sqrt: Math.sqrt,
};

const REDUCERS: Record<ReduceOp, (values: number[]) => number> = {
  sum: K.sumOf,
  mean: K.meanOf,
  max: K.maxOf,
  min: K.minOf,
};

const f32 = (t: Tensor): Tensor => new Tensor(t.shape, Float32Array.from(t.data));

export class Float32Engine implements Engine {
  readonly name = "float32-loops";
  readonly backend = "js";
  readonly dtype = "float32";

  elementwise(op: ElementwiseOp, a: Tensor | number, b: Tensor | number): Tensor {
    return f32(K.elementwise(a, b, ELEMENTWISE[op]));
  }
  unary(op: UnaryOp, a: Tensor): Tensor {
    return f32(K.map(a, UNARY[op]));
  }
  matmul(a: Tensor, b: Tensor): Tensor {
    return f32(K.matmul(a, b));
  }
  transpose(a: Tensor): Tensor {
    return f32(K.transpose(a));
  }
  softmax(a: Tensor): Tensor {
    return f32(K.softmax(a));
  }
  reduce(op: ReduceOp, a: Tensor, axis?: number): Tensor | number {
    const r = K.reduce(a, axis, REDUCERS[op]);
    return typeof r === "number" ? Math.fround(r) : f32(r);
  }
  memory() {
    return { tensors: 0, bytes: 0 };
  }
  info(): EngineInfo {
    return {
      name: this.name,
      backend: this.backend,
      version: null,
      device: cpuDevice(1),
      selectedBy: "auto",
      backends: [{ name: this.backend, status: "active" }],
      notes: ["TensorFlow.js is not loaded: plain-loop kernels with float32 results"],
    };
  }
  dispose(): void {}
}
