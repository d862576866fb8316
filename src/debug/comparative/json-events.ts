import type { Hit } from "./breakpoints.js";
import type { Frame, LockstepSession } from "./lockstep.js";
import type { SideView } from "./side-view.js";
import type { StepDiff } from "./step-compare.js";
import { upcomingJson, upcomingOf } from "./upcoming.js";
import { toJson, type Json } from "../../values/json.js";
import type { RunResult, RuntimeName, StepEvent } from "../../runtime/protocol.js";

// The --json forms of what the session shows: one object per line, each with an
// `event` field (session, step, stop, back, breakpoint, deleted, breakpoints,
// print, diff, where, error, end). Values are JSON as `vesper run --json` writes
// them (decimals and big integers as strings, tensors as nested lists).

export function eventJson(ev: StepEvent | undefined): Json {
  if (!ev) return null;
  return {
    index: ev.index,
    step: ev.step,
    op: ev.op,
    location: `${ev.location.file}:${ev.location.line}`,
    changed: Object.fromEntries(ev.changed.map(([k, v]) => [k, toJson(v)])),
    effects: ev.effects.map((e) => ({
      tool: e.tool,
      args: toJson(e.args),
      ok: e.ok,
      ...(e.ok ? { result: toJson(e.result ?? null) } : { error: e.error ?? null }),
      attempts: e.attempts,
    })),
    contracts_failed: ev.contracts.filter((c) => !c.passed).map((c) => ({ kind: c.kind, name: c.name })),
    transition: ev.transition ?? null,
    ...(ev.skipped ? { skipped: true } : {}),
    ...(ev.branch ? { branch: ev.branch } : {}),
    ...(ev.error ? { error: { code: ev.error.code, message: ev.error.message }, recovered: ev.recovered ?? null } : {}),
    ...(ev.result ? { result: resultJson(ev.result) } : {}),
  };
}

export function resultJson(r: RunResult | undefined): Json {
  if (!r) return null;
  return {
    status: r.status,
    output: r.output ? toJson(r.output) : null,
    state: r.state ?? null,
    failure: r.failure
      ? {
          code: r.failure.code,
          message: r.failure.message,
          location: `${r.failure.location.file}:${r.failure.location.line}:${r.failure.location.col}`,
        }
      : null,
    steps: r.steps,
  };
}

export function diffJson(d: StepDiff): Json {
  return {
    kind: d.kind,
    path: d.path,
    reference: d.expected,
    direct: d.actual,
    reason: d.reason,
    ...(d.relativeError !== undefined ? { relative_error: finite(d.relativeError) } : {}),
    ...(d.tensor
      ? {
          tensor: {
            worst_index: d.tensor.index,
            reference: finite(d.tensor.expected),
            direct: finite(d.tensor.actual),
            relative_error: finite(d.tensor.relativeError),
            error_norm: finite(d.tensor.errorNorm),
            relative_norm: finite(d.tensor.relativeNorm),
            elements_over_tolerance: d.tensor.elementsOver,
            size: d.tensor.size,
          },
        }
      : {}),
  };
}

function finite(x: number): Json {
  return Number.isFinite(x) ? x : String(x);
}

export function stepJson(f: Frame): Json {
  return {
    event: "step",
    position: f.position,
    reference: eventJson(f.events.reference),
    direct: eventJson(f.events.direct),
    diverged: f.comparison.diffs.length > 0,
    diffs: f.comparison.diffs.map(diffJson),
    ...(f.comparison.firstBinding ? { first_binding: f.comparison.firstBinding } : {}),
  };
}

export function sideJson(s: LockstepSession, side: RuntimeName): Json {
  const v: SideView = s.current.views[side];
  return {
    at: v.last
      ? { index: v.last.index, step: v.last.step, location: `${v.last.location.file}:${v.last.location.line}` }
      : null,
    state: v.state ?? null,
    changed: [...v.changed],
    next: upcomingJson(upcomingOf(s.upcoming(side), v, s.node.node.file)),
    result: resultJson(v.result),
  };
}

export function stopJson(s: LockstepSession, reason: string, hits: Hit[], before: boolean): Json {
  const f = s.current;
  return {
    event: "stop",
    reason,
    position: f.position,
    before_step: before,
    breakpoints: hits.map((h) => ({
      id: h.breakpoint.id,
      kind: h.breakpoint.kind,
      spec: h.breakpoint.spec,
      sides: h.sides,
      message: h.message,
    })),
    reference: sideJson(s, "reference"),
    direct: sideJson(s, "direct"),
    diverged: f.comparison.diffs.length > 0,
    diffs: f.comparison.diffs.map(diffJson),
  };
}
