import type { ElementwiseOp, Engine, EngineInfo, ReduceOp, UnaryOp } from "./engine.js";
import { cpuDevice } from "./device.js";
import * as F from "./float32-kernels.js";
import type { Tensor } from "../values/values.js";

// The engine the direct runtime uses when no TensorFlow.js backend is loaded: the
// plain-loop kernels with every result stored as float32, so the comparator sees
// the same kind of low-bit differences it will see from a real float32 engine.
// The kernels (float32-kernels.ts) are tight loops that give exactly what the float64
// reference kernels followed by a float32 copy give; the generated tier's fused
// tensor loops (src/runtime/direct/tensor-fusion.ts) give exactly what these give.

export class Float32Engine implements Engine {
  readonly name = "float32-loops";
  readonly backend = "js";
  readonly dtype = "float32";

  elementwise(op: ElementwiseOp, a: Tensor | number, b: Tensor | number): Tensor {
    return F.elementwise(op, a, b);
  }
  unary(op: UnaryOp, a: Tensor): Tensor {
    return F.unary(op, a);
  }
  matmul(a: Tensor, b: Tensor): Tensor {
    return F.matmul(a, b);
  }
  transpose(a: Tensor): Tensor {
    return F.transpose(a);
  }
  softmax(a: Tensor): Tensor {
    return F.softmax(a);
  }
  reduce(op: ReduceOp, a: Tensor, axis?: number): Tensor | number {
    return F.reduce(op, a, axis);
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
