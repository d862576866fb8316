import { storedDecimalText } from "./decimal-text.js";
import { decodeValue, encodeBindings, encodeValue, type Encoded } from "./value-codec.js";
import type {
  ContractCheck,
  ContractKind,
  Effect,
  EventOp,
  Failure,
  RunResult,
  StepEvent,
} from "../runtime/protocol.js";
import type { TapeEntry } from "../runtime/context.js";
import { Decimal } from "../values/decimal.js";
import { type Value, VRecord } from "../values/values.js";

// A step event as a row of the store: the event's content with every value in the
// value codec, plus the nondeterministic values (clock readings, random numbers)
// the step received, so a replay can serve them back in order.

export interface StepTape {
  clock: number[];
  random: number[];
}

export interface EncodedEffect {
  tool: string;
  capability: string;
  args: Encoded;
  ok: boolean;
  result?: Encoded;
  error?: { code: string; message: string };
  attempts: number;
  elapsedMs: number;
}

export interface EncodedEvent {
  changed: [string, Encoded][];
  effects: EncodedEffect[];
  contracts: StepEvent["contracts"];
  transition?: { from: string; to: string };
  skipped?: boolean;
  branch?: "then" | "else";
  error?: Failure;
  recovered?: "fallback" | "on_error";
  result?: { status: RunResult["status"]; output?: Encoded; failure?: Failure; state?: string; steps: number };
  tape?: StepTape;
  /**
   * Calls the step made that its event does not list: a call after which the node's
   * time budget ran out (R208) ends the run before the step can list it, but the
   * call happened and a replay must serve it.
   */
  unlisted?: EncodedEffect[];
}

export function encodeEffect(e: Effect): EncodedEffect {
  const out: EncodedEffect = {
    tool: e.tool,
    capability: e.capability,
    args: encodeValue(e.args),
    ok: e.ok,
    attempts: e.attempts,
    elapsedMs: e.elapsedMs,
  };
  if (e.ok) out.result = encodeValue(e.result ?? null);
  else out.error = e.error;
  return out;
}

export function decodeEffect(e: EncodedEffect): Effect {
  const out: Effect = {
    tool: e.tool,
    capability: e.capability,
    args: decodeValue(e.args),
    ok: e.ok,
    attempts: e.attempts,
    elapsedMs: e.elapsedMs,
  };
  if (e.ok) out.result = decodeValue(e.result ?? null);
  else out.error = e.error;
  return out;
}

export function encodeResult(r: RunResult): NonNullable<EncodedEvent["result"]> {
  const out: NonNullable<EncodedEvent["result"]> = { status: r.status, steps: r.steps };
  if (r.output) out.output = encodeValue(r.output);
  if (r.failure) out.failure = r.failure;
  if (r.state !== undefined) out.state = r.state;
  return out;
}

export function decodeResult(r: NonNullable<EncodedEvent["result"]>): RunResult {
  const out: RunResult = { status: r.status, steps: r.steps };
  if (r.output !== undefined) out.output = decodeValue(r.output) as VRecord;
  if (r.failure) out.failure = r.failure;
  if (r.state !== undefined) out.state = r.state;
  return out;
}

function hasValues(tape: StepTape | undefined): tape is StepTape {
  return tape !== undefined && (tape.clock.length > 0 || tape.random.length > 0);
}

/**
 * Collects what a context hands out during one step, through ExecutionContext.onRecord:
 * clock readings and random numbers (the step's tape) and the calls it made.
 */
export class StepCollector {
  tape: StepTape = { clock: [], random: [] };
  calls: Effect[] = [];

  readonly onRecord = (entry: TapeEntry): void => {
    if (entry.kind === "clock") this.tape.clock.push(entry.value);
    else if (entry.kind === "random") this.tape.random.push(entry.value);
    else if (entry.kind === "call") this.calls.push(entry.call.effect);
  };

  /**
   * Starts the next step. Most steps receive nothing, so empty collections are kept
   * rather than reallocated: read `tape` and `calls` before clearing, not after.
   */
  clear(): void {
    if (hasValues(this.tape)) this.tape = { clock: [], random: [] };
    if (this.calls.length > 0) this.calls = [];
  }
}

/** The event's content, without the fields the row keeps in columns (index, step, op, location). */
export function encodeEvent(
  ev: StepEvent,
  tape: StepTape | undefined,
  calls: readonly Effect[] = ev.effects,
): EncodedEvent {
  return { changed: ev.changed.map(([k, v]) => [k, encodeValue(v)]), ...encodeRest(ev, tape, calls) };
}

/** Everything but `changed`, in the order encodeEvent writes it. */
function encodeRest(
  ev: StepEvent,
  tape: StepTape | undefined,
  calls: readonly Effect[],
): Omit<EncodedEvent, "changed"> {
  const out: Omit<EncodedEvent, "changed"> = {
    effects: ev.effects.map(encodeEffect),
    contracts: ev.contracts,
  };
  if (ev.transition) out.transition = ev.transition;
  if (ev.skipped) out.skipped = true;
  if (ev.branch) out.branch = ev.branch;
  if (ev.error) out.error = ev.error;
  if (ev.recovered) out.recovered = ev.recovered;
  if (ev.result) out.result = encodeResult(ev.result);
  if (hasValues(tape)) out.tape = tape;
  if (calls.length > ev.effects.length) out.unlisted = calls.slice(ev.effects.length).map(encodeEffect);
  return out;
}

/** Past this many names (a long-lived process over many nodes) a per-name cache starts again. */
const NAMES_MAX = 4096;

/**
 * `make(name)`, made once a name: a node's events repeat the same few names over and
 * over. Bounded: past NAMES_MAX names the cache starts again.
 */
function perName<T>(make: (name: string) => T): (name: string) => T {
  const made = new Map<string, T>();
  return (name) => {
    let v = made.get(name);
    if (v === undefined && !made.has(name)) {
      if (made.size >= NAMES_MAX) made.clear();
      v = make(name);
      made.set(name, v);
    }
    return v as T;
  };
}

/**
 * The value's JSON in the value codec, written directly for the kinds steps bind
 * most (decimals, integers, strings, floats) and for arrays and records of them (a
 * run's inputs and output): the recorder's hot path, where building an encoded
 * object per value and then stringifying it costs twice as much and leaves garbage.
 * Character for character JSON.stringify(encodeValue(v)) (a property test holds it).
 */
export function valueJson(v: Value): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `{"$i":"${v}"}`;
  // As encodeValue writes it: at its declared scale when it has one ("3.20").
  if (v instanceof Decimal) return `{"$d":"${storedDecimalText(v)}"}`;
  if (typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0)) return String(v);
  if (v === null || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    let out = "";
    for (let i = 0; i < v.length; i++) out = i === 0 ? valueJson(v[i]!) : `${out},${valueJson(v[i]!)}`;
    return `[${out}]`;
  }
  if (v instanceof VRecord) return recordJson(v);
  return JSON.stringify(encodeValue(v));
}

/**
 * A record as encodeValue + JSON.stringify write it: `{"$r":type,"f":{fields}}`. A
 * field named like an array index ("0", "12") would come first in the object
 * encodeValue builds, whatever its place, so such a record is left to encodeValue.
 */
function recordJson(r: VRecord): string {
  let fields = "";
  for (const [k, x] of r.fields) {
    const opening = fieldOpening(k);
    if (opening === undefined) return JSON.stringify(encodeValue(r));
    fields = fields ? `${fields},${opening}${valueJson(x)}` : `${opening}${valueJson(x)}`;
  }
  return `{"$r":${quotedName(r.typeName)},"f":{${fields}}}`;
}

/** JSON.stringify(encodeBindings(m)), written directly (a trace row's inputs). */
export function bindingsJson(m: ReadonlyMap<string, Value>): string {
  let out = "";
  for (const [k, v] of m) {
    const opening = fieldOpening(k);
    if (opening === undefined) return JSON.stringify(encodeBindings(m));
    out = out ? `${out},${opening}${valueJson(v)}` : `${opening}${valueJson(v)}`;
  }
  return `{${out}}`;
}

/** JSON.stringify(encodeResult(r)), written directly: the output through valueJson. */
export function resultJson(r: RunResult): string {
  let out = `{"status":${JSON.stringify(r.status)},"steps":${JSON.stringify(r.steps)}`;
  if (r.output) out += `,"output":${valueJson(r.output)}`;
  if (r.failure) out += `,"failure":${JSON.stringify(r.failure)}`;
  if (r.state !== undefined) out += `,"state":${JSON.stringify(r.state)}`;
  return `${out}}`;
}

/** An array index as JavaScript orders an object's keys: a canonical integer below 2^32 − 1. */
const isIndexKey = (k: string): boolean => /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 2 ** 32 - 1;

/** `"name":`, made once a field name; undefined for a name that is an array index. */
const fieldOpening = perName((name) => (isIndexKey(name) ? undefined : `${JSON.stringify(name)}:`));

/** Binding names and contract names and texts as JSON strings, made once each. */
const quotedName = perName((name) => JSON.stringify(name));

/** `[` and the binding name as a JSON string and `,`: how a changed binding's pair opens, made once a name. */
const pairOpening = perName((name) => `[${JSON.stringify(name)},`);

/** The keys of a ContractCheck in the order the runtimes write them. */
const CONTRACT_KEYS = ["kind", "name", "text", "passed"] as const;

/**
 * A contract check as the recorder stores it since schema 6: `[kind code,
 * name, passed 1|0]`, with the text fourth when it is not the name. An entry event
 * lists every input constraint the run checked (22 on order_total), and as objects,
 * each with its name and its text (the same string for an input constraint), it
 * was 2.2 KB: past what a `steps` row keeps on its own page, so every trace wrote an
 * overflow page. Compact, it is about 0.6 KB. Readers take either form
 * (expandContracts); a check of another shape, or of a kind not listed here, is
 * stored as the object it is.
 */
export type StoredContract = ContractCheck | [string, string, 0 | 1] | [string, string, 0 | 1, string];

const KIND_CODES = new Map<string, string>([
  ["precondition", "pre"],
  ["postcondition", "post"],
  ["invariant", "inv"],
  ["input constraint", "in"],
]);
const KINDS_BY_CODE = new Map<string, ContractKind>(
  [...KIND_CODES].map(([kind, code]) => [code, kind as ContractKind]),
);
/** `["code",`: how a compact check opens, per kind. */
const KIND_OPENINGS = new Map([...KIND_CODES].map(([kind, code]) => [kind, `[${JSON.stringify(code)},`]));

/**
 * The contracts as the recorder stores them (StoredContract), written from cached
 * strings; expandContracts(JSON.parse(contractsJson(cs))) is cs.
 */
function contractsJson(contracts: readonly ContractCheck[]): string {
  if (contracts.length === 0) return "[]";
  let out = "";
  for (const c of contracts) {
    const keys = Object.keys(c);
    const opening =
      keys.length === 4 &&
      keys.every((k, i) => k === CONTRACT_KEYS[i]) &&
      typeof c.name === "string" &&
      typeof c.text === "string" &&
      typeof c.passed === "boolean"
        ? KIND_OPENINGS.get(c.kind)
        : undefined;
    const json =
      opening === undefined
        ? JSON.stringify(c)
        : c.text === c.name
          ? `${opening}${quotedName(c.name)},${c.passed ? 1 : 0}]`
          : `${opening}${quotedName(c.name)},${c.passed ? 1 : 0},${quotedName(c.text)}]`;
    out += out ? `,${json}` : json;
  }
  return `[${out}]`;
}

/** Stored contract checks, in either form, as the runtimes made them (objects: kind, name, text, passed). */
export function expandContracts(stored: readonly StoredContract[]): ContractCheck[] {
  let out: ContractCheck[] | undefined;
  for (let i = 0; i < stored.length; i++) {
    const c = stored[i]!;
    if (!Array.isArray(c)) {
      out?.push(c);
      continue;
    }
    out ??= stored.slice(0, i) as ContractCheck[];
    const [code, name, passed, text = name] = c;
    const kind = KINDS_BY_CODE.get(code);
    if (kind === undefined || typeof name !== "string" || typeof text !== "string" || (passed !== 0 && passed !== 1))
      throw new TypeError(`a contract check of unknown form: ${JSON.stringify(c).slice(0, 80)}`);
    out.push({ kind, name, text, passed: passed === 1 });
  }
  return out ?? (stored as ContractCheck[]);
}

/**
 * A stored event (the JSON of a step row) with its contract checks in the object
 * form, as encodeEvent makes it: what a reader that compares or shows the event's
 * JSON (replay, export) reads, whichever form the row holds.
 */
export function storedEvent(json: string): EncodedEvent {
  const e = JSON.parse(json) as EncodedEvent & { contracts?: StoredContract[] };
  if (Array.isArray(e?.contracts)) e.contracts = expandContracts(e.contracts);
  return e;
}

/** storedEvent's JSON: the row's own text when it holds no compact check. */
export function storedEventJson(json: string): string {
  const e = JSON.parse(json) as EncodedEvent & { contracts?: StoredContract[] };
  if (!Array.isArray(e?.contracts)) return json;
  const contracts = expandContracts(e.contracts);
  if (contracts === e.contracts) return json;
  e.contracts = contracts;
  return JSON.stringify(e);
}

/**
 * The event as the recorder stores it: JSON.stringify(encodeEvent(ev, tape, calls)),
 * character for character, except that contract checks are in the compact form
 * (StoredContract) when the event has no calls or tape; storedEvent(eventJson(...))
 * is encodeEvent(...). `onBinding` receives each binding's value JSON (the
 * recorder's checkpoint state).
 */
export function eventJson(
  ev: StepEvent,
  tape: StepTape | undefined,
  calls: readonly Effect[],
  onBinding?: (name: string, json: string) => void,
): string {
  let changed = "";
  const bindings = ev.changed;
  for (let i = 0; i < bindings.length; i++) {
    const [k, v] = bindings[i]!;
    const json = valueJson(v);
    onBinding?.(k, json);
    changed = i === 0 ? `${pairOpening(k)}${json}]` : `${changed},${pairOpening(k)}${json}]`;
  }
  // An event without calls and tape (most steps, the return step too) is written here; any other through encodeRest.
  if (ev.effects.length > 0 || calls.length > 0 || hasValues(tape))
    return `{"changed":[${changed}],${JSON.stringify(encodeRest(ev, tape, calls)).slice(1)}`;
  let rest = `"effects":[],"contracts":${contractsJson(ev.contracts)}`;
  if (ev.transition) rest += `,"transition":${JSON.stringify(ev.transition)}`;
  if (ev.skipped) rest += ',"skipped":true';
  if (ev.branch) rest += `,"branch":${JSON.stringify(ev.branch)}`;
  if (ev.error) rest += `,"error":${JSON.stringify(ev.error)}`;
  if (ev.recovered) rest += `,"recovered":${JSON.stringify(ev.recovered)}`;
  if (ev.result) rest += `,"result":${resultJson(ev.result)}`;
  return `{"changed":[${changed}],${rest}}`;
}

export interface StepRow {
  trace_id: string;
  idx: number;
  step: string;
  op: string;
  line: number;
  col: number;
  event: string;
  duration_us: number;
  hash: string;
}

/** A stored step back as a StepEvent (values decoded), with the tape it received. */
export function decodeStep(
  row: StepRow,
  file: string,
): { event: StepEvent; tape: StepTape; unlisted: Effect[]; durationUs: number } {
  const e = storedEvent(row.event);
  const event: StepEvent = {
    index: row.idx,
    step: row.step,
    op: row.op as EventOp,
    location: { file, line: row.line, col: row.col },
    changed: e.changed.map(([k, v]) => [k, decodeValue(v)]),
    effects: e.effects.map(decodeEffect),
    contracts: e.contracts,
  };
  if (e.transition) event.transition = e.transition;
  if (e.skipped) event.skipped = true;
  if (e.branch) event.branch = e.branch;
  if (e.error) event.error = e.error;
  if (e.recovered) event.recovered = e.recovered;
  if (e.result) event.result = decodeResult(e.result);
  return {
    event,
    tape: e.tape ?? { clock: [], random: [] },
    unlisted: (e.unlisted ?? []).map(decodeEffect),
    durationUs: row.duration_us,
  };
}
