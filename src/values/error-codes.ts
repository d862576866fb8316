// Every error code Vesper reports besides the validator's V-codes (src/ir/diagnostics.ts),
// with its kind and short name. Codes are stable: scripts, docs and tests depend on
// them. The kind says whose mistake it is, and so the exit status (commands/exit-codes.ts):
//   usage   a bad flag, command or session command           (exit 2)
//   input   an input value that does not fit its declared type (exit 2)
//   node    a .vsp file that is not a valid node              (exit 2)
//   store   a trace store or trace that cannot be used        (exit 2)
//   runtime a node's run failed: a contract or a runtime fault (exit 3)
//   environment  this machine lacks what the command needs (a backend)  (exit 1)
//   bug     Vesper itself is wrong; the stack trace shows with --debug (exit 1)

export const ERROR_KINDS = ["usage", "input", "node", "store", "runtime", "environment", "bug"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const ERROR_CODES = {
  // Usage: flags, config, and the commands of a debug or replay session.
  U100: { kind: "usage", name: "bad-flag" },
  U101: { kind: "usage", name: "bad-config" },
  U102: { kind: "usage", name: "unknown-node-id" },
  U103: { kind: "usage", name: "unknown-backend" },
  U104: { kind: "usage", name: "missing-recordings" },
  U105: { kind: "usage", name: "unwritable-output" },
  U200: { kind: "usage", name: "bad-session-command" },
  U201: { kind: "usage", name: "bad-expression" },
  U202: { kind: "usage", name: "bad-edit" },
  U203: { kind: "usage", name: "bad-breakpoint" },
  // Inputs given to a node.
  I100: { kind: "input", name: "bad-input" },
  // Nodes.
  N100: { kind: "node", name: "invalid-node" },
  // The trace store.
  S100: { kind: "store", name: "unusable-store" },
  S101: { kind: "store", name: "unknown-trace" },
  S102: { kind: "store", name: "unreplayable-trace" },
  S103: { kind: "store", name: "store-busy" },
  S104: { kind: "store", name: "unusable-store-path" },
  S105: { kind: "store", name: "malformed-trace-row" },
  S106: { kind: "store", name: "unknown-seed-run" },
  S107: { kind: "store", name: "unresumable-seed-checkpoint" },
  // Expression evaluation (R1xx) and the runtimes' own faults (R2xx).
  R100: { kind: "runtime", name: "no-value" },
  R101: { kind: "runtime", name: "integer-overflow" },
  R102: { kind: "runtime", name: "wrong-kind-of-value" },
  R103: { kind: "runtime", name: "null-value" },
  R104: { kind: "runtime", name: "missing-key-or-index" },
  R105: { kind: "runtime", name: "tensor-shape" },
  R106: { kind: "runtime", name: "division-by-zero" },
  R107: { kind: "runtime", name: "no-context" },
  R108: { kind: "runtime", name: "value-out-of-range" },
  R109: { kind: "runtime", name: "unknown-function" },
  R110: { kind: "runtime", name: "not-finite" },
  R200: { kind: "runtime", name: "no-return" },
  R201: { kind: "runtime", name: "capability-denied" },
  R202: { kind: "runtime", name: "tool-call-failed" },
  R203: { kind: "runtime", name: "tool-call-timed-out" },
  R204: { kind: "runtime", name: "illegal-transition" },
  R205: { kind: "runtime", name: "unknown-tool" },
  R206: { kind: "runtime", name: "tool-result-type" },
  R207: { kind: "runtime", name: "replay-mismatch" },
  R208: { kind: "runtime", name: "node-timeout" },
  R209: { kind: "runtime", name: "output-type" },
  R210: { kind: "runtime", name: "safety-boundary" },
  // Contracts.
  C001: { kind: "runtime", name: "precondition" },
  C002: { kind: "runtime", name: "postcondition" },
  C003: { kind: "runtime", name: "invariant" },
  C004: { kind: "runtime", name: "input-constraint" },
  // The machine.
  E100: { kind: "environment", name: "backend-cannot-start" },
  // Vesper's own mistakes.
  B100: { kind: "bug", name: "unsafe-generated-code" },
} as const satisfies Record<string, { kind: ErrorKind; name: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function kindOf(code: ErrorCode): ErrorKind {
  return ERROR_CODES[code].kind;
}
