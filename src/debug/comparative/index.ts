// The comparative debugger's public surface, for the workbench's debug session use case and the TUI.
export { Breakpoints, parseBreakSpec, type Breakpoint, type BreakSpec, type Hit } from "./breakpoints.js";
export { DebugCommands, HELP, describe, type DebugCommandsOptions, type Reply } from "./debug-commands.js";
export { DebugError } from "./debug-error.js";
export {
  DebugSession,
  type DebugSessionParts,
  type DebugSummary,
  type DiffReport,
  type Divergence,
  type Evaluation,
  type RecordingIds,
  type SidePosition,
  type StepPlace,
} from "./debug-session.js";
export { compileExpression, evaluateOn, type Evaluated } from "./expression.js";
export { FlowMap } from "./flow-map.js";
export { LockstepSession, SIDES, type Frame, type LockstepOptions, type StepObserver } from "./lockstep.js";
export { PairRecorder, type PairMeta } from "./pair-recorder.js";
export type { StepDiff } from "./step-compare.js";
export { Stepper, type Move, type MoveOutcome, type StopReason } from "./stepper.js";
export { locateInTensor, type TensorLocation } from "./tensor-locate.js";
export type { Upcoming } from "./upcoming.js";
export { renderView } from "./view.js";
