import type { EngineDevice } from "../src/workbench/engine.js";

// How the engine's device is said in words: by `veyra engine info` and by the TUI's
// Engine pane, so both say the same. Pure wording (a *-format.ts module), which is
// what tui/ may import from commands/ (.dependency-cruiser.cjs).

export function describeDevice(d: EngineDevice): string {
  const parts = [d.name];
  if (d.cores !== undefined) parts.push(`${d.cores} core${d.cores === 1 ? "" : "s"}`);
  if (d.threads !== undefined) parts.push(`${d.threads} thread${d.threads === 1 ? "" : "s"}`);
  if (d.simd !== undefined) parts.push(d.simd ? "WebAssembly SIMD" : "no SIMD");
  if (d.memoryBytes !== undefined && Number.isFinite(d.memoryBytes))
    parts.push(`${(d.memoryBytes / 2 ** 30).toFixed(1)} GiB`);
  for (const [k, v] of Object.entries(d.details ?? {})) parts.push(`${k} ${v}`);
  return parts.join(", ");
}
