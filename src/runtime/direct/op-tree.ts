import type * as ops from "./ops.js";
import type { Span } from "../../expr/ast.js";
import type { Value } from "../../values/values.js";
import type { Sc } from "./scaled.js";

// The typed operation tree the direct compiler lowers expressions to. Both tiers
// consume it: closures.ts turns it into nested closures, codegen.ts into JS source.
// Every piece of text from the .vsp file lives in `const` values (or is validated
// by codegen), never in the shape of this tree.

export type OpName = {
  [K in keyof typeof ops]: (typeof ops)[K] extends (...args: never[]) => unknown ? K : never;
}[keyof typeof ops];

/** Operators emitted as plain JavaScript when the operand types allow it. */
export type InlineOp = "+" | "-" | "*" | "/" | "%" | "<" | "<=" | ">" | ">=" | "===" | "!==" | "neg" | "!";

/** Decimal methods called directly on a proven Decimal. */
export type DecimalMethod = "plus" | "minus" | "times" | "cmp" | "eq" | "neg";

/** LIST collects the body's values (for a binder form that is not an aggregate, which then fails); SUMS adds scaled decimals. */
export type LoopKind = "FORALL" | "EXISTS" | "SUM" | "SUMS" | "COUNT" | "MIN" | "MAX" | "LIST";

/** A constant operand that is not a Value: spans, names, operator names, the engine. */
export type Constant = Value | Span | string | undefined | Sc | { readonly engine: true };

export type Op =
  | { k: "const"; value: Constant }
  | { k: "slot"; index: number; name: string; span: Span; alwaysBound: boolean }
  | { k: "call"; fn: OpName; args: Op[] }
  | { k: "inline"; op: InlineOp; args: Op[] }
  | { k: "method"; method: DecimalMethod; target: Op; args: Op[] }
  | { k: "and" | "or"; left: Op; right: Op }
  | { k: "list"; items: Op[] }
  /** `span` locates errors of the whole loop, `collectionSpan` a range that is not a collection, `bodySpan` a body that is not a boolean. */
  | {
      k: "loop";
      kind: LoopKind;
      slot: number;
      collection: Op;
      body: Op;
      span: Span;
      collectionSpan: Span;
      bodySpan: Span;
      bodyKind: string;
    }
  | { k: "context"; fn: "now" | "random" }
  | { k: "old"; index: number }
  /**
   * Speculation (lower.ts): `fast` where every slot in `slots` holds a number (float bindings the compiler
   * cannot prove, such as a tensor's elements, lowered as proven floats), else `slow`, the expression as
   * lowered without that assumption. Checking the slots reads nothing else and cannot fail.
   */
  | { k: "guard"; slots: number[]; fast: Op; slow: Op };

/** The engine, bound when the node is compiled for a runtime. */
export const ENGINE: { readonly engine: true } = { engine: true };

/** The operations `op` reads directly, in the order they are evaluated (the walkers' one list of shapes). */
export function opChildren(op: Op): readonly Op[] {
  switch (op.k) {
    case "call":
    case "inline":
      return op.args;
    case "list":
      return op.items;
    case "method":
      return [op.target, ...op.args];
    case "and":
    case "or":
      return [op.left, op.right];
    case "loop":
      return [op.collection, op.body];
    case "guard":
      // Either is evaluated, never both; walkers see every read of both.
      return [op.slow, op.fast];
    case "const":
    case "slot":
    case "context":
    case "old":
      return [];
  }
}
