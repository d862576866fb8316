import { Rng, type RngState } from "../values/rng.js";
import { RuntimeFault } from "./faults.js";
import type { Effect } from "./protocol.js";
import { Timestamp, VRecord, formatValue, keyOf, type Value } from "../values/values.js";
import { capabilityProblem, type Grants } from "../tools/capabilities.js";
import { isTransient, type ToolIO, type ToolRegistry, type ToolReply, type ToolSpec } from "../tools/registry.js";
import type { HostLookup } from "../tools/resolved-denies.js";
import type { ServiceBehaviour, SimWorld } from "../tools/sim-world.js";

// The ExecutionContext is the only door to nondeterminism: the clock, the seeded
// random numbers, and tool calls (with capability checks, retries, time limits and
// back-off on a virtual clock). Live, it records every value it hands out on a
// tape; replaying, it serves the tape instead, so a second runtime (or a replay)
// sees exactly what the first saw and no side effect happens twice.

export interface ContextOptions {
  seed?: number | bigint | string;
  /** Epoch milliseconds the virtual clock starts at; default: the real time now. */
  clockStartMs?: number;
  /** The tools a step may call, and the state of their simulated services: given, never built here. */
  tools: ToolRegistry;
  grants: Grants;
  /** How simulated services behave, by tool name ("*" for all). */
  behaviour?: Record<string, Partial<ServiceBehaviour>>;
  /** Virtual milliseconds the whole run may take (performance.timeout_ms). */
  budgetMs?: number;
  fetch?: typeof fetch;
  /** The resolver for checking host names against denied addresses; the system's by default. */
  lookup?: HostLookup;
  /** Told of every nondeterministic value as it is handed out: the trace recorder's hook. */
  onRecord?: (entry: TapeEntry) => void;
}

export type TapeEntry =
  | { kind: "clock"; value: number }
  | { kind: "random"; value: number }
  | { kind: "call"; call: TapeCall }
  /** A live call that cannot be undone is about to be made (not a value: the recorder commits it first). */
  | { kind: "intent"; step: string; tool: string; capability: string; args: VRecord };

export interface TapeCall {
  step: string;
  tool: string;
  effect: Effect;
}

/** Every nondeterministic value a run received, by kind, in order. */
export interface Tape {
  clock: number[];
  random: number[];
  calls: TapeCall[];
}

export interface CallRequest {
  step: string;
  tool: string;
  args: VRecord;
  timeoutMs?: number;
  retry?: { maxAttempts: number; backoffMs: number };
}

/**
 * How a fork (a re-execution after an edit) treats the recorded run: calls that are
 * the same as recorded are served from the recording; calls of an edited step, or
 * whose arguments changed, are made again: on the simulated service, or, for a live
 * tool, only with `live` (and `allowIrreversible` for a tool that cannot be undone).
 */
export interface ForkPolicy {
  changedSteps: ReadonlySet<string>;
  live: boolean;
  allowIrreversible: boolean;
}

export interface ContextSnapshot {
  elapsedMs: number;
  rng: RngState;
  simRng: RngState;
  world: SimWorld;
  tape: { clock: number; random: number; calls: number };
  cursor: { clock: number; random: number; calls: number };
}

/** capabilityProblem, decided once per node's grants and capability (grants are read-only once prepared). */
const decided = new WeakMap<Grants, Map<string, string | undefined>>();
function problemOnce(capability: string, grants: Grants): string | undefined {
  let known = decided.get(grants);
  if (!known) decided.set(grants, (known = new Map()));
  if (known.has(capability)) return known.get(capability);
  const problem = capabilityProblem(capability, grants);
  known.set(capability, problem);
  return problem;
}

/** A replaying context's tape, and how it treats it (the constructor's `replay`, `thenLive` and `fork`). */
interface Served {
  tape: Tape;
  thenLive: boolean;
  fork: ForkPolicy | undefined;
}

/**
 * What a context makes on first use, in one object made on the first of them: most runs of
 * a pure node hand out nothing and call nothing, and a context is made for every run, so it
 * holds only what every run needs.
 */
class MadeOnUse {
  tape: Tape | undefined = undefined;
  rng: Rng | undefined = undefined;
  simRng: Rng | undefined = undefined;
  /** The simulated services' state: most runs call no tool. */
  world: SimWorld | undefined = undefined;
  /** How far into the replayed tape each kind has been served. */
  cursor: { clock: number; random: number; calls: number } | undefined = undefined;
}

export class ExecutionContext {
  readonly clockStartMs: number;
  /** Virtual time the run has spent in calls and back-off. */
  elapsedMs = 0;
  /** Told of every value handed out; each context has its own (a replay does not inherit it). */
  onRecord?: (entry: TapeEntry) => void;
  /** When set, values are served from this tape instead of produced. */
  private readonly served_: Served | undefined;
  private made: MadeOnUse | undefined = undefined;

  /**
   * `replay`: serve this tape instead of producing values. With `thenLive`, a run that
   * outlives the tape goes on live (a fallback run picking up where another stopped).
   */
  constructor(
    readonly options: ContextOptions,
    replay?: Tape,
    thenLive = false,
    fork?: ForkPolicy,
  ) {
    this.clockStartMs = options.clockStartMs ?? Date.now();
    this.onRecord = options.onRecord;
    this.served_ = replay === undefined ? undefined : { tape: replay, thenLive, fork };
  }

  private get tools(): ToolRegistry {
    return this.options.tools;
  }

  private get replaying(): Tape | undefined {
    return this.served_?.tape;
  }

  private get thenLive(): boolean {
    return this.served_?.thenLive ?? false;
  }

  private get fork(): ForkPolicy | undefined {
    return this.served_?.fork;
  }

  /** Every value this context handed out (live) or served (replaying), by kind, in order. */
  get tape(): Tape {
    return ((this.made ??= new MadeOnUse()).tape ??= { clock: [], random: [], calls: [] });
  }

  /** How far into the replayed tape each kind has been served. */
  private get cursor(): { clock: number; random: number; calls: number } {
    return ((this.made ??= new MadeOnUse()).cursor ??= { clock: 0, random: 0, calls: 0 });
  }

  private get world(): SimWorld {
    return ((this.made ??= new MadeOnUse()).world ??= this.tools.newWorld(this.options.behaviour));
  }

  private set world(w: SimWorld) {
    (this.made ??= new MadeOnUse()).world = w;
  }

  // The two random streams are seeded on first use: most runs never draw from them.
  private get rng(): Rng {
    return ((this.made ??= new MadeOnUse()).rng ??= new Rng(`${this.options.seed ?? 0}/random`));
  }

  private get simRng(): Rng {
    return ((this.made ??= new MadeOnUse()).simRng ??= new Rng(`${this.options.seed ?? 0}/services`));
  }

  get mode(): "live" | "replay" | "replay-then-live" | "fork" {
    return !this.replaying ? "live" : this.fork ? "fork" : this.thenLive ? "replay-then-live" : "replay";
  }

  /** A context for re-executing an edited run: see ForkPolicy. Clock and random values are served, then live. */
  static fork(options: ContextOptions, tape: Tape, policy: ForkPolicy): ExecutionContext {
    return new ExecutionContext(options, tape, true, policy);
  }

  /** A context that serves what this one recorded, for a second runtime or a replay. */
  replay(thenLive = false): ExecutionContext {
    // Object.assign, not a spread with overrides: V8 gives a spread copy a map of its own, so each
    // property set on it after makes yet another map (about 0.8 µs a replay, once per differential execution).
    return new ExecutionContext(
      Object.assign({}, this.options, { onRecord: undefined, clockStartMs: this.clockStartMs }),
      this.tape,
      thenLive,
    );
  }

  private live(kind: "clock" | "random" | "calls"): boolean {
    return !this.replaying || (this.thenLive && this.cursor[kind] >= this.replaying[kind].length);
  }

  now(): Timestamp {
    const ms = this.live("clock") ? this.clockStartMs + this.elapsedMs : (this.served("clock", "now()") as number);
    this.tape.clock.push(ms);
    this.onRecord?.({ kind: "clock", value: ms });
    return new Timestamp(ms);
  }

  random(): number {
    const x = this.live("random") ? this.rng.next() : (this.served("random", "random()") as number);
    this.tape.random.push(x);
    this.onRecord?.({ kind: "random", value: x });
    return x;
  }

  private served(kind: "clock" | "random", what: string): unknown {
    const list = this.replaying![kind];
    if (this.cursor[kind] >= list.length) {
      throw new RuntimeFault(
        "R207",
        `replay mismatch: the run asks for ${what} more often than the recorded run did`,
        false,
      );
    }
    return list[this.cursor[kind]++];
  }

  /**
   * Calls a tool as a step asks: checks the capability before anything happens, then
   * attempts the call up to retry.maxAttempts times while it fails transiently, with
   * back-off between attempts, all on the virtual clock.
   */
  call(request: CallRequest): Effect | Promise<Effect> {
    const spec = this.tools.get(request.tool);
    if (!spec) {
      throw new RuntimeFault(
        "R205",
        `step '${request.step}' calls unknown tool '${request.tool}' (tools: ${this.tools.names().join(", ")})`,
        false,
      );
    }
    const capability = spec.capability(request.args);
    const problem = problemOnce(capability, this.options.grants);
    if (problem) {
      throw new RuntimeFault(
        "R201",
        `security: step '${request.step}' may not call ${request.tool}: ${problem}; nothing was called`,
        false,
      );
    }
    if (this.fork) return this.forkCall(request, spec, capability);
    if (!this.live("calls")) return this.replayCall(request);
    return this.perform(request, spec, capability, (effect) => this.finishCall(request, effect));
  }

  /** Makes the call (with retries and back-off on the virtual clock) and hands the effect to `done`. */
  private perform(
    request: CallRequest,
    spec: ToolSpec,
    capability: string,
    done: (effect: Effect) => Effect,
  ): Effect | Promise<Effect> {
    const maxAttempts = request.retry?.maxAttempts ?? 1;
    const io: ToolIO = {
      rng: this.simRng,
      world: this.world,
      timeoutMs: request.timeoutMs ?? spec.defaultTimeoutMs,
      fetch: this.options.fetch ?? fetch,
      lookup: this.options.lookup,
    };
    if (!spec.simulated && !spec.reversible)
      this.onRecord?.({ kind: "intent", step: request.step, tool: request.tool, capability, args: request.args });
    if (spec.admit) return this.attempts(request, spec, capability, done, io, maxAttempts, 1, 0);
    // A tool without an admission check that answers at once (every simulated one): attempts in a plain loop.
    let elapsedMs = 0;
    for (let n = 1; ; n++) {
      const reply = spec.invoke(request.args, io);
      if (reply instanceof Promise)
        return this.attempts(request, spec, capability, done, io, maxAttempts, n, elapsedMs, reply);
      elapsedMs += reply.latencyMs;
      if (retries(reply, n, maxAttempts)) {
        elapsedMs += request.retry?.backoffMs ?? 0;
        continue;
      }
      return done(effectOf(request, capability, reply, n, elapsedMs));
    }
  }

  /**
   * The attempts from the `first`th on, `elapsedBefore` virtual milliseconds into the call
   * (with `pending`, that attempt's reply is on its way): each after the tool's admission
   * check, if it has one, while the call fails transiently.
   */
  private attempts(
    request: CallRequest,
    spec: ToolSpec,
    capability: string,
    done: (effect: Effect) => Effect,
    io: ToolIO,
    maxAttempts: number,
    first: number,
    elapsedBefore: number,
    pending?: Promise<ToolReply>,
  ): Effect | Promise<Effect> {
    let elapsedMs = elapsedBefore;
    const settle = (reply: ToolReply, attempt: number): Effect | Promise<Effect> => {
      elapsedMs += reply.latencyMs;
      if (retries(reply, attempt, maxAttempts)) {
        elapsedMs += request.retry?.backoffMs ?? 0;
        return next(attempt + 1);
      }
      return done(effectOf(request, capability, reply, attempt, elapsedMs));
    };
    const attempt = (n: number): Effect | Promise<Effect> => {
      const reply = spec.invoke(request.args, io);
      return reply instanceof Promise ? reply.then((r) => settle(r, n)) : settle(reply, n);
    };
    // A tool's admission check (http.request: resolved addresses against the denies) runs before every attempt.
    const next = (n: number): Effect | Promise<Effect> => {
      if (!spec.admit) return attempt(n);
      return spec.admit(request.args, this.options.grants, io).then((admission) => {
        if (admission === undefined) return attempt(n);
        if ("denied" in admission) {
          throw new RuntimeFault(
            "R201",
            `security: step '${request.step}' may not call ${request.tool}: ${admission.denied}; ${n === 1 ? "nothing was called" : `attempt ${n} was not made`}`,
            false,
          );
        }
        return settle(admission, n);
      });
    };
    return pending ? pending.then((r) => settle(r, first)) : next(first);
  }

  private forkCall(request: CallRequest, spec: ToolSpec, capability: string): Effect | Promise<Effect> {
    const policy = this.fork!;
    const recorded = this.replaying!.calls[this.cursor.calls];
    if (recorded) this.cursor.calls++;
    const same = recorded !== undefined && !policy.changedSteps.has(request.step) && sameCall(recorded, request);
    if (same) {
      // A simulated service is also run (its reply set aside) so that its random stream
      // and world stay where they were in the recorded run for the calls made again.
      if (spec.simulated) this.perform(request, spec, capability, (e) => e);
      return this.finishCall(request, recorded.effect);
    }
    if (!spec.simulated) {
      if (!policy.live) {
        throw new RuntimeFault(
          "R210",
          `safety boundary: step '${request.step}' must call ${request.tool} again (its call changed), and that is a live tool; rerun with --live to allow it`,
          false,
        );
      }
      if (!spec.reversible && !policy.allowIrreversible) {
        throw new RuntimeFault(
          "R210",
          `safety boundary: step '${request.step}' must call ${request.tool} again, which cannot be undone; rerun with --live --allow-irreversible to allow it`,
          false,
        );
      }
    }
    return this.perform(request, spec, capability, (effect) => this.finishCall(request, effect));
  }

  private replayCall(request: CallRequest): Effect {
    const recorded = this.replaying!.calls[this.cursor.calls];
    if (!recorded) {
      throw new RuntimeFault(
        "R207",
        `replay mismatch at step '${request.step}': it calls ${request.tool}, but the recorded run made no more calls`,
        false,
      );
    }
    // Arguments are compared only when replaying: the live path never pays for the key.
    if (!sameCall(recorded, request)) {
      throw new RuntimeFault(
        "R207",
        `replay mismatch at step '${request.step}': it calls ${request.tool} with ${formatArgs(request.args)}, but the recorded run called ${recorded.tool} with ${formatArgs(recorded.effect.args)} (at step '${recorded.step}')`,
        false,
      );
    }
    this.cursor.calls++;
    return this.finishCall(request, recorded.effect);
  }

  private finishCall(request: CallRequest, effect: Effect): Effect {
    this.elapsedMs += effect.elapsedMs;
    const call = { step: request.step, tool: request.tool, effect };
    this.tape.calls.push(call);
    this.onRecord?.({ kind: "call", call });
    const budget = this.options.budgetMs;
    if (budget !== undefined && this.elapsedMs > budget) {
      throw new RuntimeFault(
        "R208",
        `the node ran for ${this.elapsedMs} ms (virtual), past performance.timeout_ms ${budget}, at step '${request.step}'`,
        false,
      );
    }
    return effect;
  }

  snapshot(): ContextSnapshot {
    return {
      elapsedMs: this.elapsedMs,
      rng: this.rng.state(),
      simRng: this.simRng.state(),
      world: this.tools.copyWorld(this.world),
      tape: { clock: this.tape.clock.length, random: this.tape.random.length, calls: this.tape.calls.length },
      cursor: { ...this.cursor },
    };
  }

  restore(s: ContextSnapshot): void {
    this.elapsedMs = s.elapsedMs;
    this.rng.setState(s.rng);
    this.simRng.setState(s.simRng);
    this.world = this.tools.copyWorld(s.world);
    this.tape.clock.length = s.tape.clock;
    this.tape.random.length = s.tape.random;
    this.tape.calls.length = s.tape.calls;
    Object.assign(this.cursor, s.cursor);
  }
}

/** Whether the call tries again after this reply to its `attempt`th attempt: a transient failure, attempts left. */
function retries(reply: ToolReply, attempt: number, maxAttempts: number): boolean {
  return !reply.ok && isTransient(reply.code) && attempt < maxAttempts;
}

/** What a call did: its last reply, after `attempts` attempts and `elapsedMs` virtual milliseconds in all. */
function effectOf(
  request: CallRequest,
  capability: string,
  reply: ToolReply,
  attempts: number,
  elapsedMs: number,
): Effect {
  return reply.ok
    ? { tool: request.tool, capability, args: request.args, ok: true, result: reply.value, attempts, elapsedMs }
    : {
        tool: request.tool,
        capability,
        args: request.args,
        ok: false,
        error: { code: reply.code, message: reply.message },
        attempts,
        elapsedMs,
      };
}

/** The recorded call is this request: the same tool with equal arguments. */
function sameCall(recorded: TapeCall, request: CallRequest): boolean {
  return recorded.tool === request.tool && keyOf(recorded.effect.args) === keyOf(request.args);
}

/** Call arguments as people read them: amount 92.99, currency "USD". */
function formatArgs(args: Value): string {
  return args instanceof VRecord
    ? [...args.fields].map(([k, v]) => `${k} ${formatValue(v)}`).join(", ")
    : formatValue(args);
}
