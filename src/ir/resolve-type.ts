import type { Located } from "./ast.js";
import type { Loc } from "./diagnostics.js";
import { parse as parseTypeSyntax, SyntaxError as TypeSyntaxError } from "./generated/type-parser.js";
import { didYouMean } from "../values/suggest.js";
import {
  DTYPES,
  PARAMETERIZED_NAMES,
  PRIMITIVE_NAMES,
  T,
  type Dim,
  type Dtype,
  type TypeTable,
  type VType,
} from "../values/types.js";
import { ownTable } from "../values/own-keys.js";

// Turns a type as written (`array<LineItem>`, `tensor<float32, [n, 4]>`) into a VType,
// reporting syntax errors and unknown names at their column inside the type string.

interface Span {
  start: number;
  end: number;
}
type TypeSyntax =
  | { kind: "named"; name: { name: string; span: Span }; span: Span }
  | { kind: "generic"; name: { name: string; span: Span }; args: TypeSyntax[]; span: Span }
  | { kind: "enum"; values: { value: string; span: Span }[]; span: Span }
  | {
      kind: "tensor";
      dtype: { name: string; span: Span };
      dims: { size: number | string | null; span: Span }[];
      span: Span;
    };

export type TypeProblemReporter = (code: "V200" | "V201", message: string, start: Loc, end: Loc) => void;

const GENERIC_ARITY = ownTable({ array: 1, set: 1, map: 2 });

/** Types nest at most this deep (array<array<…>>): past it the type is refused before it is parsed. */
export const MAX_TYPE_DEPTH = 200;

/** The offset of the '<' that nests one level too deep, if any. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "<" && ++depth > MAX_TYPE_DEPTH) return i;
    if (text[i] === ">") depth--;
  }
  return undefined;
}

export function resolveType(
  text: Located<string>,
  locOf: (offset: number) => Loc,
  table: TypeTable,
  report: TypeProblemReporter,
): VType {
  const deep = tooDeepAt(text.value);
  if (deep !== undefined) {
    report("V201", `malformed type: it nests more than ${MAX_TYPE_DEPTH} levels deep`, locOf(deep), locOf(deep + 1));
    return T.any;
  }
  let syntax: TypeSyntax;
  try {
    syntax = parseTypeSyntax(text.value) as TypeSyntax;
  } catch (err) {
    if (!(err instanceof TypeSyntaxError)) throw err;
    const at = err.location.start.offset;
    const found = err.found == null ? "the type ends too early" : `unexpected '${err.found}'`;
    report("V201", `malformed type '${text.value}': ${found}`, locOf(at), locOf(at + 1));
    return T.any;
  }
  const fail = (code: "V200" | "V201", message: string, span: Span): VType => {
    report(code, message, locOf(span.start), locOf(span.end));
    return T.any;
  };

  const resolve = (t: TypeSyntax): VType => {
    switch (t.kind) {
      case "enum": {
        const values = t.values.map((v) => v.value);
        const dup = t.values.find((v, i) => values.indexOf(v.value) !== i);
        if (dup !== undefined) return fail("V201", `enum value '${dup.value}' is listed twice`, dup.span);
        return { kind: "enum", values };
      }
      case "tensor": {
        if (!(DTYPES as readonly string[]).includes(t.dtype.name)) {
          return fail(
            "V201",
            `unknown tensor dtype '${t.dtype.name}'${didYouMean(t.dtype.name, DTYPES)} (dtypes: ${DTYPES.join(", ")})`,
            t.dtype.span,
          );
        }
        const zero = t.dims.find((d) => d.size === 0);
        if (zero) return fail("V201", "a tensor dimension cannot be 0", zero.span);
        return { kind: "tensor", dtype: t.dtype.name as Dtype, shape: t.dims.map((d) => d.size as Dim) };
      }
      case "generic": {
        const arity = GENERIC_ARITY[t.name.name];
        if (t.name.name === "tensor" || t.name.name === "enum") {
          const form =
            t.name.name === "tensor"
              ? "tensor<dtype, [d1, ..., dn]>, e.g. tensor<float32, [3]>"
              : "enum[A, B], with square brackets";
          return fail("V201", `'${t.name.name}' is written ${form}`, t.name.span);
        }
        if (arity === undefined) {
          return fail(
            "V201",
            `'${t.name.name}' takes no type arguments; only array<T>, set<T> and map<K, V> do`,
            t.name.span,
          );
        }
        if (t.args.length !== arity) {
          return fail(
            "V201",
            `${t.name.name} takes ${arity} type argument${arity === 1 ? "" : "s"}, not ${t.args.length}`,
            t.span,
          );
        }
        const [a, b] = t.args.map(resolve) as [VType, VType | undefined];
        if (t.name.name === "map") return { kind: "map", key: a, value: b! };
        return { kind: t.name.name as "array" | "set", element: a };
      }
      case "named": {
        const name = t.name.name;
        if ((PRIMITIVE_NAMES as readonly string[]).includes(name)) return { kind: name } as VType;
        if (table.has(name)) return { kind: "record", name };
        if ((PARAMETERIZED_NAMES as readonly string[]).includes(name)) {
          const example =
            name === "tensor"
              ? "tensor<float32, [3]>"
              : name === "enum"
                ? "enum[A, B]"
                : name === "map"
                  ? "map<string, integer>"
                  : `${name}<string>`;
          return fail("V201", `'${name}' needs its parameters, e.g. ${example}`, t.span);
        }
        const known = [...PRIMITIVE_NAMES, ...table.keys()];
        return fail("V200", `unknown type '${name}'${didYouMean(name, known)}`, t.name.span);
      }
    }
  };
  return resolve(syntax);
}
