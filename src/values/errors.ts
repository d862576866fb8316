import { type ErrorCode, type ErrorKind, kindOf } from "./error-codes.js";

// One error family. Every error Vesper means to show a user is a VesperError with a
// stable code from src/values/error-codes.ts; its kind (from the code) says whose
// mistake it is, and the front ends map kinds to exit statuses in one place
// (commands/exit-codes.ts). Anything else that reaches a front end is a bug: it is
// reported as an internal error, with its stack trace only under --debug.

export class VesperError extends Error {
  override name = "VesperError";
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.kind = kindOf(code);
  }
}

/** A bad flag or argument, named in the message. */
export class UsageError extends VesperError {
  override name = "UsageError";
  constructor(message: string, code: ErrorCode = "U100") {
    super(code, message);
  }
}

/** An error Vesper means to show (its message is the whole story), as opposed to a bug. */
export function isReported(err: unknown): err is VesperError {
  return err instanceof VesperError && err.kind !== "bug";
}

/** The user's mistake in a command typed into a session (debug, replay): reported, and the session goes on. */
export function isCommandMistake(err: unknown): err is VesperError {
  return err instanceof VesperError && (err.kind === "usage" || err.kind === "input");
}
