// The comparative debugger's public surface, for `vesper debug` and the TUI.
export { Breakpoints, parseBreakSpec, type Breakpoint, type BreakSpec, type Hit } from "./breakpoints.js";
export { Controller, type Move, type MoveOutcome } from "./controller.js";
export { DebugError } from "./debug-error.js";
export { compileExpression, evaluateOn } from "./expression.js";
export { Interpreter, HELP, describe, type Reply } from "./interpreter.js";
export { LockstepSession, SIDES, type Frame, type LockstepOptions, type StepObserver } from "./lockstep.js";
export { PairRecorder, type PairMeta } from "./pair-recorder.js";
export { locateInTensor, type TensorLocation } from "./tensor-locate.js";
export { renderView } from "./view.js";
