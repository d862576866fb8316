import type { StepObserver } from "./lockstep.js";
import type { TapeEntry } from "../../runtime/context.js";
import type { ExecutionContext } from "../../runtime/context.js";
import type { PreparedNode } from "../../runtime/prepared.js";
import type { RunResult, RuntimeName, StepEvent } from "../../runtime/protocol.js";
import type { Value } from "../../values/values.js";
import { newId, TraceRecorder, type RecordedContext } from "../../trace/recorder.js";
import type { TraceStore } from "../../store/store.js";

// Records a debug session's two runs to the trace store as a linked pair: one
// group id (dbg_…), roles `reference` and `direct`. A session can go back and step
// the same ground again; those steps are the same (the snapshots restore the
// contexts too), so only steps past the furthest point reached are written, and
// the clock and random values a re-run step draws are not recorded twice.

export interface PairMeta {
  node: PreparedNode;
  inputs: ReadonlyMap<string, Value>;
  seed: string;
  context: RecordedContext;
  /** The engine each side's tensors ran on (the reference's float64 loops, the direct runtime's engine). */
  backends: Record<RuntimeName, string>;
}

export class PairRecorder implements StepObserver {
  readonly groupId = newId("dbg", 6);
  private readonly recorders: Record<RuntimeName, TraceRecorder>;
  private readonly written: Record<RuntimeName, number> = { reference: 0, direct: 0 };
  private readonly live: Record<RuntimeName, boolean> = { reference: false, direct: false };
  private readonly durations: Record<RuntimeName, number> = { reference: 0, direct: 0 };

  constructor(store: TraceStore, meta: PairMeta, contexts: Record<RuntimeName, ExecutionContext>) {
    const begin = (runtime: RuntimeName) =>
      TraceRecorder.begin(store, {
        ...meta,
        backend: meta.backends[runtime],
        runtime,
        mode: null,
        groupId: this.groupId,
        role: runtime,
      });
    this.recorders = { reference: begin("reference"), direct: begin("direct") };
    for (const side of ["reference", "direct"] as const) {
      const r = this.recorders[side];
      contexts[side].onRecord = (e: TapeEntry) => {
        if (this.live[side]) r.onRecord(e);
      };
    }
  }

  get ids(): Record<RuntimeName, string> {
    return { reference: this.recorders.reference.id, direct: this.recorders.direct.id };
  }

  stepping(side: RuntimeName, position: number): void {
    this.live[side] = position > this.written[side];
  }

  stepped(side: RuntimeName, event: StepEvent, durationUs: number, position: number): void {
    if (!this.live[side]) return;
    this.live[side] = false;
    this.written[side] = position;
    this.durations[side] += durationUs;
    this.recorders[side].step(event, durationUs);
    if (event.result) this.recorders[side].finish(event.result, this.durations[side]);
  }

  /** At the end of the session: a run that did not reach its end stays recorded, marked incomplete. */
  close(results: Partial<Record<RuntimeName, RunResult>>): void {
    for (const side of ["reference", "direct"] as const) {
      if (results[side] === undefined) this.recorders[side].abandon();
      else this.recorders[side].flush();
    }
  }
}
