import { engineInfo, type EngineInfo } from "../src/workbench/engine.js";
import { describeDevice } from "./engine-format.js";
import { reportingStartFailure } from "./engine-start.js";
import { EXIT } from "./exit-codes.js";

/** `veyra engine info [--json] [--backend NAME]`: the backend that runs, and why each other one does not. */
export function engineInfoCommand(opts: { json?: boolean; backend?: string }): Promise<number> {
  return reportingStartFailure("engine info", async () => {
    const info = await engineInfo({ backend: opts.backend });
    process.stdout.write(opts.json ? `${JSON.stringify(info, null, 2)}\n` : formatInfo(info));
    return EXIT.OK;
  });
}

const HOW: Record<EngineInfo["selectedBy"], string> = {
  auto: "chosen automatically: the first in the selection order that starts",
  "--backend": "named by --backend",
  VEYRA_BACKEND: "named by VEYRA_BACKEND",
};

export function formatInfo(info: EngineInfo): string {
  const lines = [
    `active backend  ${info.backend} (TensorFlow.js ${info.version ?? "not loaded"}), ${HOW[info.selectedBy]}`,
    `device          ${describeDevice(info.device)}`,
  ];
  if (info.notes.length > 0) lines.push(`notes           ${info.notes.join("; ")}`);
  lines.push("backends (selection order: tensorflow, webgpu, wasm, cpu)");
  for (const b of info.backends) {
    lines.push(`  ${b.name.padEnd(12)}${b.status === "active" ? "active" : `${b.status}: ${b.reason}`}`);
  }
  return `${lines.join("\n")}\n`;
}
