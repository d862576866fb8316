// What the debug pane's breakpoint prompt (B) does with a line, in the terms of the
// debugger's command language (DebugCommands: `break SPEC`, `delete N`): a spec adds a
// breakpoint (divergence, contract_violation, state_transition:FROM->TO, step:NAME,
// call:TOOL, or a boolean expression), `-N` deletes breakpoint N, and `-SPEC` deletes
// the breakpoint given that spec. The session checks the spec against the node and
// throws a DebugError (a usage VesperError) whose message the prompt shows.

import type { Breakpoint, DebugSession } from "../../../src/workbench/index.js";
import { UsageError } from "../../../src/values/errors.js";

export const BREAK_HELP =
  "divergence · contract_violation · step:NAME · call:TOOL · state_transition:A->B · an expression (amount > 100) · -N removes N";

export type BreakAction =
  | { kind: "add"; spec: string }
  | { kind: "delete"; id: number }
  | { kind: "deleteSpec"; spec: string }
  | { kind: "none" };

export function parseBreakLine(text: string): BreakAction {
  const t = unquote(text.trim());
  if (t === "") return { kind: "none" };
  // `-3` deletes breakpoint 3 and `-step:x` the one with that spec; `-1 < x` stays an expression.
  const del = /^-\s*(\d+|[A-Za-z_].*)$/s.exec(t);
  if (del)
    return /^\d+$/.test(del[1]!) ? { kind: "delete", id: Number(del[1]) } : { kind: "deleteSpec", spec: del[1]! };
  return { kind: "add", spec: t };
}

/** Runs the prompt's line on the session: the sentence to show. A bad spec or an unknown breakpoint throws. */
export function applyBreakLine(session: DebugSession, text: string): string | undefined {
  const action = parseBreakLine(text);
  if (action.kind === "none") return undefined;
  if (action.kind === "add") {
    const bp = session.addBreakpoint(action.spec);
    return `breakpoint ${bp.id}: ${bp.spec} (${when(bp)})`;
  }
  const id = action.kind === "delete" ? action.id : idOfSpec(session, action.spec);
  const bp = session.deleteBreakpoint(id);
  return `deleted breakpoint ${bp.id} (${bp.spec})`;
}

function idOfSpec(session: DebugSession, spec: string): number {
  const found = session.breakpoints.find((b) => b.spec === spec);
  if (found) return found.id;
  const list = session.breakpoints.map((b) => `${b.id} ${b.spec}`).join(", ");
  throw new UsageError(`no breakpoint '${spec}' (${list ? `breakpoints: ${list}` : "there are none"})`);
}

function when(bp: Breakpoint): string {
  if (bp.kind === "step" || bp.kind === "call") return "stops before the step runs";
  if (bp.kind === "expression") return "stops when it becomes true";
  return "stops after the step";
}

function unquote(text: string): string {
  const m = /^(['"])(.*)\1$/s.exec(text);
  return m ? m[2]! : text;
}
