import { EXIT } from "./exit-codes.js";
import { UsageError } from "../src/values/errors.js";
import { REFERENCE_BACKEND } from "./recording.js";
import { loadNodeOrReport } from "./node-file.js";
import { inputsFromFlags, seedFromFlags, type RunFlags } from "./run-options.js";
import { runSession } from "./session-repl.js";
import { behaviourFromFlags } from "./sim-options.js";
import { resolveStorePath } from "../src/config/config.js";
import { wrap } from "../src/debug/comparative/fit-text.js";
import {
  Breakpoints,
  DebugError,
  Interpreter,
  LockstepSession,
  PairRecorder,
  describe,
  parseBreakSpec,
} from "../src/debug/comparative/index.js";
import { ExecutionContext, type ContextOptions, type Tape } from "../src/runtime/context.js";
import { DirectRuntime } from "../src/runtime/direct/direct-runtime.js";
import { toJson } from "../src/values/json.js";
import type { PreparedNode } from "../src/runtime/prepared.js";
import { ReferenceRuntime } from "../src/runtime/reference/reference-runtime.js";
import type { Value } from "../src/values/values.js";
import { getTrace, traceContext, traceInputs, traceSteps, traceTape } from "../src/trace/reader.js";
import { TraceStore } from "../src/store/store.js";
import { defaultTools } from "../src/tools/index.js";

// `vesper debug <file> --comparative`: both runtimes in lockstep on one input,
// side by side, stopping at semantic breakpoints. Exit 0 when no divergence was
// found, 4 when one was, 2 for bad usage (a bad flag or breakpoint, an invalid
// node, a trace that cannot be read, or a scripted command that failed).

export interface DebugFlags extends RunFlags {
  comparative?: boolean;
  breakOn?: string[];
  commands?: string;
  script?: string;
  json?: boolean;
  width?: string;
  trace?: string;
  store?: string;
  record?: boolean;
  sim?: string[];
  directTier?: "closures" | "generated";
}

interface Setup {
  node: PreparedNode;
  inputs: Map<string, Value>;
  seed: string;
  options: ContextOptions;
  /** A recorded run's tape: both runtimes are served it. */
  tape?: Tape;
  from?: string;
}

export async function debugCommand(file: string | undefined, flags: DebugFlags): Promise<number> {
  const width = widthFromFlags(flags.width);
  const setup = flags.trace !== undefined ? fromTrace(flags.trace, file, flags) : fromFlags(file, flags);
  if (!setup) return EXIT.USAGE;
  const { node, inputs } = setup;

  const breakpoints = new Breakpoints();
  const contexts = setup.tape
    ? {
        reference: new ExecutionContext(setup.options, setup.tape),
        direct: new ExecutionContext(setup.options, setup.tape),
      }
    : (() => {
        const reference = new ExecutionContext(setup.options);
        return { reference, direct: reference.replay() };
      })();
  // The tier is fixed for the session: closures as a node's first runs use, or the generated code of a hot node.
  const direct = new DirectRuntime({ hotThreshold: flags.directTier === "generated" ? 0 : Infinity });

  let store: TraceStore | undefined;
  let recorder: PairRecorder | undefined;
  const openRecorder = () => {
    if (flags.record === false) return undefined;
    store = TraceStore.open(resolveStorePath(flags.store));
    return new PairRecorder(
      store,
      {
        node,
        inputs,
        seed: setup.seed,
        backend: REFERENCE_BACKEND,
        context: {
          clockStartMs: contexts.reference.clockStartMs,
          budgetMs: setup.options.budgetMs,
          behaviour: setup.options.behaviour,
        },
      },
      contexts,
    );
  };

  const specs = flags.breakOn?.length ? flags.breakOn : ["divergence"];
  const session = new LockstepSession({
    node,
    inputs,
    runtimes: { reference: new ReferenceRuntime(), direct },
    contexts,
    observer: { stepping: (s, p) => recorder?.stepping(s, p), stepped: (s, e, d, p) => recorder?.stepped(s, e, d, p) },
  });
  // Breakpoints are checked before anything runs or is recorded: a bad one is bad usage.
  for (const spec of specs) {
    try {
      breakpoints.add(parseBreakSpec(node, session.flow, spec));
    } catch (err) {
      if (err instanceof DebugError) throw new UsageError(`--break-on '${spec}': ${err.message}`);
      throw err;
    }
  }
  const interpreter = new Interpreter(session, breakpoints, width);
  recorder = openRecorder();

  try {
    const summary = await runSession(
      {
        prompt: "(vesper-db) ",
        start: () => opening(interpreter, setup, flags, recorder),
        handle: (line) => interpreter.handle(line),
        end: () => ({
          text: `\n${interpreter.endLines().join("\n")}${recorder ? `\n${wrap(`recorded: ${recorder.ids.reference} (reference), ${recorder.ids.direct} (direct), group ${recorder.groupId}`, width)}` : ""}`,
          json: [
            {
              ...(interpreter.endJson() as object),
              traces: recorder ? { group: recorder.groupId, ...recorder.ids } : null,
            },
          ],
        }),
      },
      {
        commands: flags.commands,
        script: flags.script,
        json: flags.json,
        // With no commands at all (e.g. in CI), run to the first stop: the exit status says whether the runtimes diverged.
        defaultCommands: ["continue"],
      },
    );
    // A scripted command that failed makes the script bad usage; at a prompt the user just typed it again.
    const scripted = flags.commands !== undefined || flags.script !== undefined || !process.stdin.isTTY;
    if (summary.failed > 0 && scripted) return EXIT.USAGE;
    return session.diverged ? EXIT.DIVERGENCE : EXIT.OK;
  } finally {
    recorder?.close({ reference: session.current.views.reference.result, direct: session.current.views.direct.result });
    store?.close();
  }
}

function opening(interpreter: Interpreter, setup: Setup, flags: DebugFlags, recorder: PairRecorder | undefined) {
  const s = interpreter.session;
  const n = s.node.node;
  const bps = interpreter.breakpoints.list;
  const lines = [
    `vesper debug: ${n.nodeId.value} (${n.file}), reference and direct runtimes in lockstep${setup.from ? `, replaying trace ${setup.from}` : ""}`,
    `breakpoints: ${bps.map((b) => `${b.id} ${describe(b)}`).join("; ")}${flags.breakOn?.length ? "" : " (the default; --break-on sets others)"}`,
    ...(recorder
      ? [`recording: ${recorder.ids.reference} (reference), ${recorder.ids.direct} (direct), group ${recorder.groupId}`]
      : []),
    "type 'help' for the commands",
  ];
  return {
    text: wrap(lines.join("\n"), interpreter.width),
    json: [
      {
        event: "session",
        node: n.nodeId.value,
        file: n.file,
        inputs: Object.fromEntries([...s.inputs].map(([k, v]) => [k, toJson(v)])),
        trace: setup.from ?? null,
        breakpoints: bps.map((b) => ({ id: b.id, kind: b.kind, spec: b.spec })),
        traces: recorder ? { group: recorder.groupId, ...recorder.ids } : null,
      },
    ],
  };
}

function fromFlags(file: string | undefined, flags: DebugFlags): Setup | undefined {
  if (file === undefined)
    throw new UsageError("vesper debug needs a .vsp file, or --trace <id> to debug a recorded run");
  const node = loadNodeOrReport(file);
  if (!node) return undefined;
  const seed = seedFromFlags(flags);
  return {
    node,
    inputs: inputsFromFlags(node, flags),
    seed: String(seed),
    options: {
      seed,
      grants: node.grants,
      tools: defaultTools(),
      budgetMs: node.node.performance.timeout_ms,
      behaviour: behaviourFromFlags(flags.sim),
    },
  };
}

function fromTrace(id: string, file: string | undefined, flags: DebugFlags): Setup | undefined {
  for (const [flag, given] of [
    ["--input", flags.input?.length],
    ["--inputs", flags.inputs],
    ["--sample", flags.sample],
    ["--seed", flags.seed],
    ["--sim", flags.sim?.length],
  ] as const) {
    if (given)
      throw new UsageError(
        `${flag} cannot be combined with --trace: a recorded run's inputs, seed and services are used`,
      );
  }
  const store = TraceStore.open(resolveStorePath(flags.store), { readonly: true });
  try {
    const row = getTrace(store, id);
    const node = loadNodeOrReport(file ?? row.node_file);
    if (!node) return undefined;
    if (node.node.nodeId.value !== row.node_id) {
      throw new UsageError(`trace ${row.id} ran ${row.node_id}, but ${file} is ${node.node.nodeId.value}`);
    }
    const recorded = traceContext(row);
    const seed = row.seed;
    if (node.node.contentHash !== row.content_hash)
      process.stderr.write(
        `note: ${node.node.file} has changed since trace ${row.id} was recorded; both runtimes run the file as it is now, against the recorded inputs and tool results\n`,
      );
    return {
      node,
      inputs: traceInputs(row),
      seed,
      from: row.id,
      tape: traceTape(traceSteps(store, row)),
      options: {
        seed,
        grants: node.grants,
        tools: defaultTools(),
        budgetMs: recorded.budgetMs,
        clockStartMs: recorded.clockStartMs,
        behaviour: recorded.behaviour,
      },
    };
  } finally {
    store.close();
  }
}

function widthFromFlags(text: string | undefined): number {
  if (text === undefined) return process.stdout.columns && process.stdout.columns >= 40 ? process.stdout.columns : 80;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 40 || n > 1000)
    throw new UsageError(`--width must be a number of columns between 40 and 1000, not '${text}'`);
  return n;
}
