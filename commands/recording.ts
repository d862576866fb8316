// Transitional: the recording of an execution moved to src/exec/recording.ts. This
// re-export keeps commands/debug.ts (another change's file) building until it imports
// REFERENCE_BACKEND from src/exec/recording.ts itself; then delete this file.

export { REFERENCE_BACKEND } from "../src/exec/recording.js";
