import type { Instr, LoweredExpr, LoweredNode } from "./layout.js";
import type { CompiledTier, ExprFn, Machine, StepFn } from "./machine.js";
import { ENGINE, type Constant, type Op } from "./op-tree.js";
import * as ops from "./ops.js";
import { directOps } from "./op-table.js";
import type { Engine } from "../../engine/engine.js";
import type { Value } from "../../values/values.js";

// Tier 1 of the direct runtime: each operation tree becomes nested closures over
// the slots array, built the first time a node runs. No source text is generated;
// the closures call the typed operations the lowering pass chose.

type Fn = ExprFn;
type AnyOp = (...args: unknown[]) => Value;

export function compileClosures(L: LoweredNode, engine: Engine): CompiledTier {
  const expr = (e: LoweredExpr): ExprFn => closure(e.op, engine);
  return {
    tier: "closures",
    steps: L.instrs.map((instr) => stepClosure(instr, engine)),
    fallbacks: L.instrs.map(
      (instr) =>
        instr.fallback &&
        assignments(
          instr.fallback.map((a) => [a.slot, a.value] as const),
          engine,
        ),
    ),
    expr,
  };
}

function constant(v: Constant, engine: Engine): unknown {
  return v === ENGINE ? engine : v;
}

export function closure(op: Op, engine: Engine): Fn {
  switch (op.k) {
    case "const": {
      const v = constant(op.value, engine) as Value;
      return () => v;
    }
    case "slot": {
      const { index: i, name, span } = op;
      return op.alwaysBound ? (s) => s[i]! : (s) => ops.bound(s[i], name, span);
    }
    case "call": {
      const f = directOps[op.fn] as AnyOp;
      const parts = op.args.map((a) =>
        a.k === "const" ? { c: constant(a.value, engine) } : { f: closure(a, engine) },
      );
      // Arity-specialised so the common calls allocate nothing per evaluation.
      const [p0, p1, p2, p3, p4] = parts.map((p) => ("f" in p ? p.f! : () => p.c as Value));
      switch (parts.length) {
        case 1:
          return (s, m) => f(p0!(s, m));
        case 2:
          return (s, m) => f(p0!(s, m), p1!(s, m));
        case 3:
          return (s, m) => f(p0!(s, m), p1!(s, m), p2!(s, m));
        case 4:
          return (s, m) => f(p0!(s, m), p1!(s, m), p2!(s, m), p3!(s, m));
        case 5:
          return (s, m) => f(p0!(s, m), p1!(s, m), p2!(s, m), p3!(s, m), p4!(s, m));
        default: {
          // More than five (at2 takes seven): every argument, none dropped.
          const all = parts.map((p) => ("f" in p ? p.f! : () => p.c as Value));
          return (s, m) => f(...all.map((g) => g(s, m)));
        }
      }
    }
    case "inline": {
      const [a, b] = op.args.map((x) => closure(x, engine)) as [Fn, Fn];
      switch (op.op) {
        case "+":
          return (s, m) => (a(s, m) as number) + (b(s, m) as number);
        case "-":
          return (s, m) => (a(s, m) as number) - (b(s, m) as number);
        case "*":
          return (s, m) => (a(s, m) as number) * (b(s, m) as number);
        case "/":
          return (s, m) => (a(s, m) as number) / (b(s, m) as number);
        case "%":
          return (s, m) => (a(s, m) as number) % (b(s, m) as number);
        case "<":
          return (s, m) => a(s, m)! < b(s, m)!;
        case "<=":
          return (s, m) => a(s, m)! <= b(s, m)!;
        case ">":
          return (s, m) => a(s, m)! > b(s, m)!;
        case ">=":
          return (s, m) => a(s, m)! >= b(s, m)!;
        case "===":
          return (s, m) => a(s, m) === b(s, m);
        case "!==":
          return (s, m) => a(s, m) !== b(s, m);
        case "neg":
          return (s, m) => -(a(s, m) as number);
        case "!":
          return (s, m) => !a(s, m);
      }
      break;
    }
    case "method": {
      const t = closure(op.target, engine);
      const [a] = op.args.map((x) => closure(x, engine));
      const method = op.method;
      if (method === "neg") return (s, m) => (t(s, m) as ops.DecimalValue).neg();
      return (s, m) => (t(s, m) as ops.DecimalValue)[method](a!(s, m) as ops.DecimalValue) as Value;
    }
    case "and": {
      const [l, r] = [closure(op.left, engine), closure(op.right, engine)];
      return (s, m) => (l(s, m) as boolean) && (r(s, m) as boolean);
    }
    case "or": {
      const [l, r] = [closure(op.left, engine), closure(op.right, engine)];
      return (s, m) => (l(s, m) as boolean) || (r(s, m) as boolean);
    }
    case "list": {
      const items = op.items.map((x) => closure(x, engine));
      return (s, m) => items.map((f) => f(s, m));
    }
    case "context":
      return op.fn === "now" ? (_s, m) => m.ctx.now() : (_s, m) => m.ctx.random();
    case "old": {
      const i = op.index;
      return (_s, m) => m.old[i]!;
    }
    case "loop":
      return loop(op, engine);
    case "guard":
      // The closures tier is the cold one: the unspeculated expression, which gives the same answers.
      return closure(op.slow, engine);
  }
  throw new Error(`unknown operation ${JSON.stringify(op)}`);
}

function loop(op: Extract<Op, { k: "loop" }>, engine: Engine): Fn {
  const collection = closure(op.collection, engine);
  const body = closure(op.body, engine);
  const { slot, span, collectionSpan, bodySpan, kind } = op;
  if (kind === "FORALL" || kind === "EXISTS") {
    const want = kind === "EXISTS";
    return (s, m) => {
      for (const item of ops.items(collection(s, m), collectionSpan)) {
        s[slot] = item;
        if (ops.bool(body(s, m), bodySpan) === want) return want;
      }
      return !want;
    };
  }
  return (s, m) => {
    const values: Value[] = [];
    for (const item of ops.items(collection(s, m), collectionSpan)) {
      s[slot] = item;
      values.push(body(s, m));
    }
    if (kind === "SUM") return ops.sumTyped(values, op.bodyKind, span, engine);
    if (kind === "SUMS") return ops.sumS(values as unknown as ops.ScaledValue[]);
    if (kind === "COUNT") return BigInt(values.filter((v) => ops.bool(v, bodySpan)).length);
    if (kind === "LIST") return values;
    return ops.extreme(kind, values, span);
  };
}

function assignments(list: readonly (readonly [number, LoweredExpr])[], engine: Engine): StepFn {
  const compiled = list.map(([slot, e]) => [slot, e.src, closure(e.op, engine)] as const);
  return (m: Machine) => {
    for (const [slot, src, f] of compiled) {
      m.src = src;
      m.set(slot, f(m.s, m));
    }
    return 0;
  };
}

function stepClosure(instr: Instr, engine: Engine): StepFn {
  const guards = instr.guards.map((g) => [g.src, closure(g.op, engine)] as const);
  const body = bodyClosure(instr, engine);
  if (guards.length === 0) return body;
  return (m) => {
    for (const [src, g] of guards) {
      m.src = src;
      if (g(m.s, m) !== true) {
        m.skip();
        return instr.next;
      }
    }
    return body(m);
  };
}

function bodyClosure(instr: Instr, engine: Engine): StepFn {
  const b = instr.body;
  const { pc, next } = instr;
  switch (b.op) {
    case "validate": {
      const check = closure(b.check.op, engine);
      const src = b.check.src;
      return (m) => {
        m.src = src;
        return check(m.s, m) === true ? next : m.fail(pc);
      };
    }
    case "compute":
    case "tensor": {
      const run = assignments(
        b.assignments.map((a) => [a.slot, a.value] as const),
        engine,
      );
      return (m) => {
        run(m);
        return next;
      };
    }
    case "transition":
      return (m) => {
        m.go(pc);
        return next;
      };
    case "call": {
      const args = b.args.map((a) => [a.value.src, closure(a.value.op, engine)] as const);
      return (m) => {
        const values = args.map(([src, f]) => {
          m.src = src;
          return f(m.s, m);
        });
        const done = m.call(pc, values);
        return done instanceof Promise ? done.then(() => next) : next;
      };
    }
    case "branch": {
      const cond = closure(b.condition.op, engine);
      const { src } = b.condition;
      return (m) => {
        m.src = src;
        if (cond(m.s, m) === true) {
          m.arm("then");
          return b.then;
        }
        m.arm("else");
        return b.else;
      };
    }
    case "return": {
      const values = b.values.map((v) => [v.src, closure(v.op, engine)] as const);
      return (m) =>
        m.ret(
          pc,
          values.map(([src, f]) => {
            m.src = src;
            return f(m.s, m);
          }),
        );
    }
  }
}
