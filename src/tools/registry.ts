import type { Rng } from "../values/rng.js";
import type { Value, VRecord } from "../values/values.js";
import type { Grants } from "./capabilities.js";
import type { HostLookup } from "./resolved-denies.js";
import { copyWorld, newWorld, type ServiceBehaviour, type SimWorld } from "./sim-world.js";

// The registry of external calls a node can make. A tool says which capability a
// call needs (it may depend on the arguments: http.request needs the URL's host),
// whether its effect can be undone (replay may re-run only reversible tools), and
// how long a call may take by default. Failures are replies, not exceptions, so
// retries and error_handling can decide what to do with them.

export type ToolReply =
  | { ok: true; value: Value; latencyMs: number }
  | { ok: false; code: ToolErrorCode; message: string; latencyMs: number };

/** TIMEOUT and UNAVAILABLE are transient (worth a retry); REJECTED is not. */
export type ToolErrorCode = "TIMEOUT" | "UNAVAILABLE" | "REJECTED";

export interface ToolIO {
  /** The simulation's own random stream (separate from the node's random()). */
  rng: Rng;
  world: SimWorld;
  /** The call's time limit; simulated tools compare their latency against it. */
  timeoutMs: number;
  /** The real fetch, replaceable in tests. */
  fetch: typeof fetch;
  /** The resolver a live call's host names are checked with; the system's unless a test gives one. */
  lookup?: HostLookup;
}

/** What a tool's admission check decided: a security refusal, a failed attempt, or (undefined) go on. */
export type Admission = { denied: string } | ToolReply | undefined;

export interface ToolSpec {
  name: string;
  summary: string;
  reversible: boolean;
  /** An in-process simulation: re-running it has no effect outside the run, so a fork may always re-run it. */
  simulated?: boolean;
  defaultTimeoutMs: number;
  capability(args: VRecord): string;
  /**
   * A check that needs I/O, made before each live attempt once the capability is
   * granted (http.request: the host's resolved addresses against the denies). Nothing
   * is called when it refuses.
   */
  admit?(args: VRecord, grants: Grants, io: ToolIO): Promise<Admission>;
  invoke(args: VRecord, io: ToolIO): ToolReply | Promise<ToolReply>;
}

export class ToolRegistry {
  private readonly tools = new Map<string, ToolSpec>();
  /**
   * The last name looked up and what it found. A step's tool name is a slice of its
   * file's text: a Map lookup compares it character by character through the slice
   * (5x a lookup by a literal), while the same string object again is one pointer test.
   */
  private lastName?: string;
  private lastSpec?: ToolSpec;

  constructor(specs: Iterable<ToolSpec> = []) {
    for (const spec of specs) this.register(spec);
  }

  register(spec: ToolSpec): this {
    this.tools.set(spec.name, spec);
    this.lastName = undefined;
    return this;
  }

  get(name: string): ToolSpec | undefined {
    if (name === this.lastName) return this.lastSpec;
    const spec = this.tools.get(name);
    this.lastName = name;
    this.lastSpec = spec;
    return spec;
  }

  names(): string[] {
    return [...this.tools.keys()].sort();
  }

  /** A fresh state for the simulated services of one run, behaving as `behaviour` says. */
  newWorld(behaviour?: Record<string, Partial<ServiceBehaviour>>): SimWorld {
    return newWorld(behaviour);
  }

  /** A copy of a run's service state, for a snapshot the run can be restored to. */
  copyWorld(world: SimWorld): SimWorld {
    return copyWorld(world);
  }
}

export function isTransient(code: ToolErrorCode): boolean {
  return code !== "REJECTED";
}
