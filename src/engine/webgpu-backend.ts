import type * as TF from "@tensorflow/tfjs";
import type { EngineDevice } from "./engine.js";
import { importOptional, isInstalled } from "./optional-package.js";
import { quietly, reasonOf } from "./quiet.js";

// The `webgpu` backend: @tensorflow/tfjs-backend-webgpu on Dawn through the `webgpu`
// npm package (prebuilt dawn.node; reaches NVIDIA GPUs through Vulkan). Optional and
// not installed by default (the package is about 50 MB). It runs only when both
// packages are installed and Dawn finds an adapter.

type Tf = typeof TF;

interface GpuAdapter {
  info?: Record<string, unknown>;
  requestAdapterInfo?: () => Promise<Record<string, unknown>>;
  limits?: Record<string, unknown>;
}
interface Gpu {
  requestAdapter(options?: object): Promise<GpuAdapter | null>;
}
interface DawnPackage {
  create(flags: string[]): Gpu;
  globals: Record<string, unknown>;
}

export const WEBGPU_PACKAGES = ["@tensorflow/tfjs-backend-webgpu", "webgpu"] as const;

export interface WebgpuStart {
  device: EngineDevice;
  /** Call when done: dawn.node keeps the process alive while navigator.gpu is reachable. */
  release(): void;
}

export async function startWebgpu(tf: Tf): Promise<WebgpuStart> {
  const missing = WEBGPU_PACKAGES.filter((p) => !isInstalled(p));
  if (missing.length > 0) {
    throw new Error(
      `not installed: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not present ` +
        "(optional, about 50 MB; `npm install --no-save webgpu @tensorflow/tfjs-backend-webgpu@4.22.0` adds it, see docs/engine.md)",
    );
  }
  const dawn = await quietly(() => importOptional<DawnPackage>("webgpu"));
  if (!dawn.value) throw new Error(`the webgpu package did not load (${reasonOf(dawn.error, dawn.said)})`);
  const { create, globals } = dawn.value;
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new Error("Dawn found no GPU adapter (no Vulkan/Metal/D3D12 device visible to this process)");
  // tfjs-backend-webgpu looks for navigator.gpu when its backend starts.
  const hadNavigator = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  const release = () => {
    if (hadNavigator) Object.defineProperty(globalThis, "navigator", hadNavigator);
    else delete (globalThis as { navigator?: unknown }).navigator;
  };
  const loaded = await quietly(() => importOptional("@tensorflow/tfjs-backend-webgpu"));
  if (loaded.error) {
    release();
    throw new Error(`@tensorflow/tfjs-backend-webgpu did not load (${reasonOf(loaded.error, loaded.said)})`);
  }
  const set = await quietly(() => tf.setBackend("webgpu"));
  if (!set.value) {
    release();
    throw new Error(`the webgpu backend did not start (${reasonOf(set.error, set.said)})`);
  }
  return { device: await describe(adapter), release };
}

async function describe(adapter: GpuAdapter): Promise<EngineDevice> {
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined)) ?? {};
  const text = (k: string) => (typeof info[k] === "string" && info[k] ? (info[k] as string) : undefined);
  const details: Record<string, string | number> = {};
  for (const k of ["vendor", "architecture", "device", "description"]) if (text(k)) details[k] = text(k)!;
  const maxBuffer = adapter.limits?.maxBufferSize;
  if (typeof maxBuffer === "number") details.maxBufferSize = maxBuffer;
  // WebGPU does not expose total GPU memory, only per-buffer limits.
  return { kind: "gpu", name: text("description") ?? text("device") ?? text("vendor") ?? "WebGPU adapter", details };
}
