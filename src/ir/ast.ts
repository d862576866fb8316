import type { Expr } from "../expr/ast.js";
import type { Loc } from "./diagnostics.js";
import type { VType } from "../values/types.js";

// The typed AST of one .vsp node. Every part keeps the file, line and column it
// came from, so any later stage (checker, runtimes, debugger) can point at it.

export interface Located<T> {
  value: T;
  loc: Loc;
  /** For strings read from the file: maps an offset inside the string to the file (not serialized). */
  locOf?: (offset: number) => Loc;
}

/** An expression as written in the file, parsed; `expr` is absent when it did not parse. */
export interface SourceExpr {
  text: string;
  loc: Loc;
  expr?: Expr;
  /** Maps an offset inside `text` to its place in the file (not serialized). */
  locOf: (offset: number) => Loc;
}

export interface FieldDecl {
  name: string;
  loc: Loc;
  typeText: Located<string>;
  /** Resolved by the validator; `any` until then or when the type is unknown. */
  type: VType;
  required: boolean;
  default?: unknown;
  defaultLoc?: Loc;
  /** Number of decimal places a decimal carries (input generation and rounding hints). */
  scale?: number;
  description?: string;
  constraints: SourceExpr[];
}

export interface RecordTypeDecl {
  name: string;
  loc: Loc;
  description?: string;
  fields: FieldDecl[];
  constraints: SourceExpr[];
}

export interface StateMachine {
  loc: Loc;
  initial: Located<string>;
  states: Located<string>[];
  final: Located<string>[];
  transitions: { from: Located<string>; to: Located<string> }[];
}

export interface Contract {
  kind: "precondition" | "postcondition" | "invariant";
  /** A name for messages: explicit (`name:`) or the contract's text. */
  name: string;
  source: SourceExpr;
}

export interface ErrorSpec {
  code: Located<string>;
  message?: Located<string>;
}

export interface ErrorHandling {
  loc: Loc;
  retry?: { maxAttempts: number; backoffMs: number; loc: Loc };
  timeoutMs?: number;
  onError?: ErrorSpec;
  fallback?: Assignment[];
}

export interface Assignment {
  name: string;
  loc: Loc;
  value: SourceExpr;
}

interface StepBase {
  name: string;
  loc: Loc;
  description?: string;
  guards: SourceExpr[];
  errorHandling?: ErrorHandling;
}

export type Step =
  | (StepBase & { op: "validate"; check: SourceExpr; error: ErrorSpec })
  | (StepBase & { op: "compute"; assignments: Assignment[] })
  | (StepBase & { op: "tensor"; assignments: Assignment[] })
  | (StepBase & { op: "transition"; to: Located<string> })
  | (StepBase & {
      op: "call";
      tool: Located<string>;
      args: Assignment[];
      bind?: Located<string>;
      returns: FieldDecl[] | null;
      timeoutMs?: number;
    })
  | (StepBase & { op: "branch"; condition: SourceExpr; then: Step[]; else: Step[] })
  | (StepBase & { op: "return"; output: Located<"success" | "error">; values: Assignment[] });

export type StepOp = Step["op"];
export const STEP_OPS: readonly StepOp[] = ["validate", "compute", "transition", "call", "branch", "tensor", "return"];

export interface Sample {
  name: string;
  loc: Loc;
  /** The YAML value of each input, kept as a located tree so values can be checked by type. */
  values: Map<string, SampleValue>;
  /** Set when the sample is not a mapping (already V101): its inputs are not checked (not serialized: the node is invalid). */
  malformed?: true;
}

export interface SampleValue {
  loc: Loc;
  /** The plain JavaScript value (numbers keep their source text in `text`). */
  value: unknown;
  text?: string;
  items?: SampleValue[];
  entries?: Map<string, SampleValue>;
  /** Why the value cannot be read (an alias that contains itself, or aliases that expand past the limit). */
  problem?: string;
}

/** A value of `metadata` as the AST writes it (docs/vesper-ir.md 11.2): JSON, read from YAML without loss. */
export type MetadataValue = null | boolean | number | string | MetadataValue[] | { [key: string]: MetadataValue };

export interface NodeDef {
  file: string;
  contentHash: string;
  nodeId: Located<string>;
  type: Located<string>;
  intent?: Located<string>;
  metadata: Record<string, MetadataValue>;
  types: RecordTypeDecl[];
  inputs: FieldDecl[];
  outputs: { success: FieldDecl[]; error: FieldDecl[] };
  states?: StateMachine;
  contracts: Contract[];
  flow: Step[];
  performance: Record<string, number>;
  security: {
    capabilitiesRequired: Located<string>[];
    deniedCapabilities: Located<string>[];
    auditLevel?: Located<string>;
  };
  verification: {
    tolerance?: number;
    noisyFields: Located<string>[];
  };
  samples: Sample[];
}
