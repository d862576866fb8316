import { execFileSync } from "node:child_process";
import type * as TF from "@tensorflow/tfjs";
import { cpuDevice } from "./device.js";
import type { EngineDevice } from "./engine.js";
import { importOptional, isInstalled } from "./optional-package.js";
import { quietly, reasonOf } from "./quiet.js";

// The `tensorflow` backend: libtensorflow through @tensorflow/tfjs-node-gpu (CUDA) or
// @tensorflow/tfjs-node. Neither is a dependency: their install script downloads
// libtensorflow from outside the npm registry, which fails on machines without
// general internet. A user who has them gets them; docs/engine.md says how.

type Tf = typeof TF;

export const TENSORFLOW_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

export const NOT_INSTALLED =
  "not installed: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is present (they are not dependencies " +
  "because their install downloads libtensorflow from outside the npm registry; docs/engine.md shows how to add one)";

export interface TensorflowStart {
  package: string;
  device: EngineDevice;
}

/** Throws with the reason when no tensorflow package is installed or none starts. */
export async function startTensorflow(tf: Tf): Promise<TensorflowStart> {
  const installed = TENSORFLOW_PACKAGES.filter(isInstalled);
  if (installed.length === 0) throw new Error(NOT_INSTALLED);
  const failures: string[] = [];
  for (const name of installed) {
    const loaded = await quietly(() => importOptional(name));
    if (loaded.error) {
      failures.push(`${name} did not load (${reasonOf(loaded.error, loaded.said)})`);
      continue;
    }
    if (tf.findBackendFactory("tensorflow") == null) {
      failures.push(
        `${name} registered its backend with another copy of @tensorflow/tfjs-core; install version ${tf.version.tfjs} of it`,
      );
      continue;
    }
    const set = await quietly(() => tf.setBackend("tensorflow"));
    if (set.value) return { package: name, device: name.endsWith("-gpu") ? gpuDevice() : cpuDevice(1) };
    failures.push(`${name} did not start (${reasonOf(set.error, set.said)})`);
  }
  throw new Error(failures.join("; "));
}

/** libtensorflow does not name its GPU to JavaScript; nvidia-smi does, when it is there. */
function gpuDevice(): EngineDevice {
  try {
    const line = execFileSync("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"], {
      encoding: "utf8",
      timeout: 3000,
      stdio: ["ignore", "pipe", "ignore"],
    }).split("\n")[0]!;
    const [name, mib] = line.split(",").map((s) => s.trim());
    return { kind: "gpu", name: name || "NVIDIA GPU", memoryBytes: Number(mib) * 1024 * 1024 };
  } catch {
    return { kind: "gpu", name: "CUDA GPU (nvidia-smi not found, so its name is unknown)" };
  }
}
