import type { PreparedNode } from "../../runtime/prepared.js";
import type { RunResult, RuntimeName, StepEvent } from "../../runtime/protocol.js";
import { VRecord, type Value } from "../../values/values.js";
import { INPUTS_RECORD } from "../../ir/validate.js";

// What one runtime looks like at a pause, built only from the step protocol: its
// inputs, every binding made so far (in the order first made), the state machine's
// state, the last event and, once it ended, the result. Both runtimes are seen the
// same way, so the view never depends on how a runtime stores things inside.

export class SideView {
  readonly bindings = new Map<string, Value>();
  state: string | undefined;
  last: StepEvent | undefined;
  result: RunResult | undefined;
  /** Bindings the last step made or changed. */
  changed = new Set<string>();

  constructor(
    readonly runtime: RuntimeName,
    readonly inputs: ReadonlyMap<string, Value>,
    initialState: string | undefined,
  ) {
    this.state = initialState;
  }

  static initial(runtime: RuntimeName, p: PreparedNode, inputs: ReadonlyMap<string, Value>): SideView {
    return new SideView(runtime, inputs, p.node.states?.initial.value);
  }

  apply(ev: StepEvent): void {
    this.changed = new Set(ev.changed.map(([k]) => k));
    for (const [k, v] of ev.changed) this.bindings.set(k, v);
    if (ev.transition) this.state = ev.transition.to;
    this.last = ev;
    if (ev.result) this.result = ev.result;
  }

  get done(): boolean {
    return this.result !== undefined;
  }

  clone(): SideView {
    const c = new SideView(this.runtime, this.inputs, this.state);
    for (const [k, v] of this.bindings) c.bindings.set(k, v);
    c.last = this.last;
    c.result = this.result;
    c.changed = new Set(this.changed);
    return c;
  }

  /** Names as expressions see them: `input`, `state`, bindings, then inputs. */
  readonly lookup = (name: string): Value | undefined => {
    if (name === "input") return new VRecord(INPUTS_RECORD, new Map(this.inputs));
    if (name === "state") return this.state ?? null;
    if (name === "output") return this.result?.output;
    return this.bindings.has(name) ? this.bindings.get(name) : this.inputs.get(name);
  };
}
