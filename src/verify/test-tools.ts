import type { Step } from "../ir/ast.js";
import type { PreparedNode } from "../runtime/prepared.js";
import { defaultTools, type ToolRegistry } from "../tools/index.js";
import type { TraceStore } from "../store/store.js";
import { recordedReplies } from "../trace/recorded-calls.js";
import { recordedServer, servedTools, type RecordedReply } from "./served-tools.js";
import { simulatedHttp } from "./simulated-http.js";
import type { ErrorCode } from "../values/error-codes.js";
import { VesperError } from "../values/errors.js";

// The tools a differential test runs against. simulated: the simulated services,
// http.request included (a test must not send thousands of real requests).
// recorded: replies the trace store holds for this node's calls, drawn at random
// (seeded), so a test sees the answers production actually got.

export const TOOL_SOURCES = ["simulated", "recorded"] as const;
export type ToolSource = (typeof TOOL_SOURCES)[number];

export class MissingRecordingsError extends VesperError {
  override name = "MissingRecordingsError";
  constructor(message: string, code: ErrorCode = "U104") {
    super(code, message);
  }
}

export function testTools(p: PreparedNode, source: ToolSource, store?: TraceStore): ToolRegistry {
  const simulated = defaultTools().register(simulatedHttp(p));
  if (source === "simulated") return simulated;
  const called = [...new Set(calledTools(p.node.flow))];
  const byTool = new Map<string, RecordedReply[]>();
  for (const tool of called) {
    const replies = store ? recordedReplies(store, p.node.nodeId.value, tool) : [];
    if (replies.length === 0) {
      throw new MissingRecordingsError(
        `--tools recorded: the trace store has no recorded calls of ${tool} by ${p.node.nodeId.value}; record some with vesper run first, or use --tools simulated`,
      );
    }
    byTool.set(tool, replies);
  }
  return servedTools(simulated, recordedServer(byTool));
}

function calledTools(steps: readonly Step[]): string[] {
  return steps.flatMap((s) =>
    s.op === "call" ? [s.tool.value] : s.op === "branch" ? [...calledTools(s.then), ...calledTools(s.else)] : [],
  );
}
