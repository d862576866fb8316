import type { ErrorCode } from "../../values/error-codes.js";
import { VesperError } from "../../values/errors.js";
// The only ways text reaches generated JavaScript. A node's strings become
// string literals through jsString (JSON escaping plus the two line separators
// JSON leaves raw); names become identifiers only if they pass jsIdentifier;
// finite numbers are written by jsNumber. Anything else from a .vsp file is passed
// to generated code as a constant, by index.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set([
  "await",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "let",
  "new",
  "null",
  "return",
  "static",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "yield",
  "arguments",
  "eval",
  "undefined",
  "NaN",
  "Infinity",
]);

export class CodegenError extends VesperError {
  override name = "CodegenError";
  constructor(message: string, code: ErrorCode = "B100") {
    super(code, message);
  }
}

export function jsString(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function jsIdentifier(name: string): string {
  if (!IDENTIFIER.test(name) || RESERVED.has(name))
    throw new CodegenError(`'${name}' cannot be used as a JavaScript identifier`);
  return name;
}

/**
 * A finite number as a JavaScript literal that reads back as exactly that number:
 * String() keeps every bit of a finite double except the sign of zero ("0" for −0),
 * and a negative literal is parenthesised so it can follow any operator.
 */
export function jsNumber(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`jsNumber: ${v} is not a finite number`);
  if (Object.is(v, -0)) return "(-0)";
  return v < 0 ? `(${v})` : String(v);
}
