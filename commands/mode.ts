import { wholeNumber } from "./common-flags.js";
import { EXIT } from "./exit-codes.js";
import { resolveStorePath } from "../src/config/config.js";
import { MODES, type Mode } from "../src/runtime/mode-names.js";
import { UsageError } from "../src/values/errors.js";
import { didYouMean } from "../src/values/suggest.js";
import {
  controllerView,
  DEFAULT_MIN_SAMPLES,
  formatConfidence,
  Z_999,
  type ModeChange,
  type ModeRequest,
  type NodeReport,
} from "../src/workbench/controller-view.js";

// `vesper mode <node_id>`: show a node's mode, confidence and evidence; --set pins
// a mode, --auto hands the node to the controller. Exit 0, or 2 for bad usage, an
// unknown node or a store that cannot be used (nothing is written then).

export interface ModeFlags {
  set?: string;
  auto?: boolean;
  json?: boolean;
  store?: string;
  minSamples?: string;
}

export function modeCommand(nodeId: string, flags: ModeFlags): number {
  if (flags.set !== undefined && flags.auto)
    throw new UsageError("--set and --auto cannot be combined: --set pins a mode, --auto lets the controller choose");
  const change: ModeRequest | undefined =
    flags.set !== undefined ? { pin: modeName(flags.set) } : flags.auto ? { auto: true } : undefined;
  const minSamples = wholeNumber(flags.minSamples, "--min-samples", { min: 1, fallback: DEFAULT_MIN_SAMPLES });
  const view = controllerView(resolveStorePath(flags.store), nodeId, { change, minSamples });
  if (flags.json)
    process.stdout.write(`${JSON.stringify(reportJson(view.report, view.changes, minSamples), null, 2)}\n`);
  else print(view.report, view.changes, minSamples);
  return EXIT.OK;
}

function modeName(text: string): Mode {
  if ((MODES as readonly string[]).includes(text)) return text as Mode;
  throw new UsageError(`--set must be one of ${MODES.join(", ")}, not '${text}'${didYouMean(text, MODES)}`);
}

function print(r: NodeReport, changes: ModeChange[], minSamples: number): void {
  const out = process.stdout;
  for (const c of changes) out.write(`${changeLine(c)}\n`);
  if (changes.length > 0) out.write("\n");
  out.write(`${r.nodeId}\n`);
  if (r.state) {
    out.write(
      `  mode         ${r.state.mode} (${r.state.policy === "auto" ? "auto: the controller moves it" : "pinned: the controller leaves it"})\n`,
    );
    out.write(`  why          ${r.state.reason}\n`);
  } else {
    out.write(
      "  mode         not set: vesper run --mode auto runs reference_only until vesper mode <node_id> --auto or --set MODE\n",
    );
  }
  const below = r.evidence.compared < minSamples ? ` (0 below ${minSamples} comparisons)` : "";
  out.write(
    `  confidence   ${formatConfidence(r.confidence)}${below}: Wilson lower bound, z = ${Z_999}, over ${r.evidence.compared} comparisons\n`,
  );
  out.write(`  recommended  ${r.recommended}\n`);
  const ran = r.executions.map((e) => `${e.runtime} ${e.ran} (answered ${e.answered})`).join(", ");
  out.write(`  executions   ${ran || "none observed by vesper run"}\n`);
  out.write(`  divergences  ${r.divergences}\n`);
  const sources = r.evidence.bySource
    .map((s) => `${s.source} ${s.agreed}/${s.compared}${s.source === "aa" ? " (A/A, not counted)" : ""}`)
    .join(", ");
  out.write(`  agreed       ${sources || "no comparisons yet"}\n`);
  if (r.history.length > 0) {
    out.write("  history (newest first):\n");
    for (const h of r.history)
      out.write(`    ${new Date(h.at).toISOString()}  ${h.kind.padEnd(8)} ${h.from ?? "-"} → ${h.to}  ${h.reason}\n`);
  }
}

function changeLine(c: ModeChange): string {
  const verb = {
    set: "pinned",
    auto: "handed to the controller",
    promote: "promoted",
    demote: "demoted",
    rollback: "rolled back",
  }[c.kind];
  return `${c.nodeId}: ${verb}: ${c.from ?? "(none)"} → ${c.to}: ${c.reason}`;
}

function reportJson(r: NodeReport, changes: ModeChange[], minSamples: number) {
  return {
    node: r.nodeId,
    mode: r.state?.mode ?? null,
    policy: r.state?.policy ?? null,
    reason: r.state?.reason ?? null,
    confidence: r.confidence,
    comparisons: r.evidence.compared,
    agreements: r.evidence.agreed,
    min_samples: minSamples,
    recommended_mode: r.recommended,
    divergences: r.divergences,
    executions: r.executions,
    by_source: r.evidence.bySource,
    changes: changes.map(changeJson),
    history: r.history.map(changeJson),
  };
}

function changeJson(c: ModeChange) {
  return {
    kind: c.kind,
    from: c.from,
    to: c.to,
    policy: c.policy,
    reason: c.reason,
    confidence: c.confidence,
    at: new Date(c.at).toISOString(),
  };
}
