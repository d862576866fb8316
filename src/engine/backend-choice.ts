import type { ErrorCode } from "../values/error-codes.js";
import { VesperError } from "../values/errors.js";
// Which TensorFlow.js backend the user asked for. Selection order is fixed (the
// fastest that can start wins); a flag or VEYRA_BACKEND names one backend instead,
// and then that backend must start or the command fails saying why.

export const BACKEND_ORDER = ["tensorflow", "webgpu", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

/** The user named a backend that does not exist: bad usage (exit 2). */
export class BackendChoiceError extends VesperError {
  override name = "BackendChoiceError";
  constructor(message: string, code: ErrorCode = "U103") {
    super(code, message);
  }
}

/** A backend the user named cannot start here: a failure with its reason (exit 1). */
export class BackendStartError extends VesperError {
  override name = "BackendStartError";
  constructor(
    readonly backend: string,
    readonly source: string,
    readonly reason: string,
  ) {
    super("E100", `the ${backend} backend (named by ${source}) cannot start: ${reason}`);
  }
}

export interface BackendRequest {
  /** Absent: first that works, in BACKEND_ORDER. */
  name?: BackendName;
  selectedBy: "auto" | "--backend" | "VEYRA_BACKEND";
}

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(value);
}

/** The flag wins over the environment; an empty VEYRA_BACKEND means "not set". */
export function resolveBackendRequest(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): BackendRequest {
  if (flag !== undefined) return { name: checkName(flag, "--backend"), selectedBy: "--backend" };
  const fromEnv = env.VEYRA_BACKEND?.trim();
  if (fromEnv) return { name: checkName(fromEnv, "VEYRA_BACKEND"), selectedBy: "VEYRA_BACKEND" };
  return { selectedBy: "auto" };
}

function checkName(value: string, source: "--backend" | "VEYRA_BACKEND"): BackendName {
  const name = value.trim().toLowerCase();
  if (isBackendName(name)) return name;
  const where = source === "--backend" ? "--backend" : "VEYRA_BACKEND";
  throw new BackendChoiceError(
    `unknown backend '${value}' given by ${where}; choose one of ${BACKEND_ORDER.join(", ")}`,
  );
}
