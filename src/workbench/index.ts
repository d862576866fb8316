// The workbench API: every use case a front end (the `vesper`/`veyra` verbs in
// commands/, the TUI in tui/) may call, typed and free of any UI. Each use case
// takes its store, streams and options as arguments and returns typed results, or
// an async iterable of typed events; nothing here prints. Errors are VesperErrors
// (src/values/errors.ts) whose kind says whose mistake it is.
//
// A verb imports the one file of its use case (so `vesper --help` loads nothing
// else); the TUI imports this surface.

// Nodes: load, inputs, validate, compile.
export { InvalidNodeError, loadNode, type PreparedNode } from "./load-node.js";
export { type InputChoice, nodeInputs } from "./node-inputs.js";
export {
  type Diagnostic,
  type FileValidation,
  findNodeFiles,
  formatDiagnostic,
  SKIPPED_FOLDERS,
  validateFiles,
} from "./validate.js";
export { type CompileOptions, type CompileOutcome, compileNode, type EmitForm } from "./compile.js";

// Running: one run (recorded, observed by the migration controller), a bench.
export {
  DEFAULT_BEHAVIOUR,
  type ModeChoice,
  type RunNodeOptions,
  type RunNodeOutcome,
  runNode,
  type ServiceBehaviour,
} from "./run-node.js";
export { type BenchFigures, type BenchNodeOptions, benchNode, type NodeBench } from "./bench-node.js";

// The comparative debugger: both runtimes in lockstep.
export {
  type Breakpoint,
  DebugCommands,
  type DebugSession,
  type DebugSessionOptions,
  type DebugSummary,
  type DiffReport,
  type DirectTier,
  type Divergence,
  type Evaluated,
  type Evaluation,
  type Frame,
  type Hit,
  type MoveOutcome,
  openDebugSession,
  type RecordingIds,
  type SidePosition,
  type StepDiff,
  type StepPlace,
  type StopReason,
  type Upcoming,
} from "./debug-session.js";

// Time travel through a recorded run: edit, fork, diff, apply.
export {
  type ApplyOptions,
  type ApplyResult,
  type DiffEntry,
  type Edit,
  editSummary,
  type Fork,
  type ForkDiff,
  type ForkOptions,
  type GotoResult,
  type InputChange,
  type Mismatch,
  type OpenReplayOptions,
  openReplay,
  Replay,
  type ReplayCall,
  type ReplayedStep,
  type ReplayEnd,
  ReplayError,
  type ReplayState,
  type Rerun,
  type RunDiff,
  type StepChange,
  type StepRun,
  type Where,
} from "./replay.js";
export { REPLAY_HELP, ReplayCommands, type ReplayCommandOptions } from "./replay-commands.js";

// Differential testing, the migration controller, metrics.
export {
  type DifferentialTestOptions,
  type DifferentialTestSummary,
  MAX_STORED_DIVERGENCES,
  runDifferentialTest,
  TOOL_SOURCES,
  type TestProgress,
  type TestReport,
  type ToolSource,
} from "./differential-test.js";
export {
  type ControllerView,
  type ControllerViewOptions,
  controllerView,
  DEFAULT_MIN_SAMPLES,
  formatConfidence,
  type ModeChange,
  type ModeRequest,
  type NodeReport,
  Z_999,
  storeNodes,
} from "./controller-view.js";
export { type MetricsOptions, metricsExposition } from "./metrics.js";

// The trace store from the outside, and following it live.
export type { StoreRef } from "./store-access.js";
export {
  type ChainProblem,
  type ChainReport,
  collectOldTraces,
  EXPORT_FORMATS,
  type ExportFormat,
  exportTrace,
  type GcResult,
  isMalformed,
  listRecordedTraces,
  type MalformedStep,
  type RecordedStep,
  type TamperKind,
  TRACE_STATUSES,
  type TraceExport,
  type TraceListOptions,
  type TraceRow,
  type TraceState,
  type TraceStatus,
  traceStateAt,
  type TimelineEntry,
  type TimelineOptions,
  type TraceTimeline,
  traceTimeline,
  type TraceVerification,
  verifyTraces,
  FAILED_STATUSES,
  STATUS_NAMES,
  TRACE_TIME_EXAMPLE,
  traceStatusesNamed,
  traceTimeOf,
} from "./traces.js";
export {
  type AppendedSource,
  APPENDED_SOURCES,
  DEFAULT_POLL_MS,
  type DivergenceFound,
  type FollowEvent,
  type FollowOptions,
  followStore,
  type ModeChanged,
  type StepCommitted,
  StoreFollow,
  type TraceFinished,
  type TraceStarted,
} from "./follow.js";

// The tensor engine (starting one loads TensorFlow.js).
export {
  type BenchCase,
  type EngineBenchEvent,
  type EngineBenchOptions,
  type EngineBenchReport,
  engineBench,
  type EngineChoice,
  type EngineDevice,
  type EngineInfo,
  engineInfo,
  BENCH_WORKLOADS,
} from "./engine.js";

// Seed runs in the store: list, show, verify, follow live, and one live view folded from the follow
// reader (the training itself is seed-run.ts).
export * from "./seed-runs.js";
export * from "./seed-live.js";

// Seed training: a run on the engine (the store's telemetry, or a sink of the caller's), the blueprints.
export { MemorySink, runSeedTraining, type SeedRunHooks, type SeedRunOptions } from "./seed-run.js";
export { type BlueprintListing, interfaceCheck, listBlueprints, loadBlueprints } from "./seed-blueprints.js";
