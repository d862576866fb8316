import os from "node:os";
import type { EngineDevice } from "./engine.js";

// What the machine's CPU is, for `veyra engine info` and the bench header. Only the
// os module: cheap enough for any command, no TensorFlow.js involved.

export function cpuModel(): string {
  const model = os.cpus()[0]?.model?.trim();
  return model && model.length > 0 ? model : "unknown CPU";
}

/** Logical cores this process may use (respects CPU affinity, unlike os.cpus().length). */
export function logicalCores(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

export function cpuDevice(threads: number, simd?: boolean): EngineDevice {
  const device: EngineDevice = { kind: "cpu", name: cpuModel(), cores: logicalCores(), threads };
  if (simd !== undefined) device.simd = simd;
  return device;
}
