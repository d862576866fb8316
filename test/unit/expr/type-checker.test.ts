import { describe, expect, it } from "vitest";
import { checkExpression } from "../../../src/expr/check.js";
import { typeToString, type TypeTable, type VType } from "../../../src/values/types.js";
import { parseOk } from "../../helpers/expr.js";

const types: TypeTable = new Map([
  [
    "Customer",
    {
      name: "Customer",
      fields: new Map([
        ["balance", { name: "balance", type: { kind: "decimal" } as VType, required: true }],
        ["tier", { name: "tier", type: { kind: "enum", values: ["standard", "gold"] } as VType, required: true }],
      ]),
    },
  ],
]);
const scope = new Map<string, VType>([
  ["amount", { kind: "decimal" }],
  ["count", { kind: "integer" }],
  ["ratio", { kind: "float" }],
  ["name", { kind: "string" }],
  ["ok", { kind: "boolean" }],
  ["currency", { kind: "enum", values: ["USD", "EUR"] }],
  ["customer", { kind: "record", name: "Customer" }],
  ["items", { kind: "array", element: { kind: "record", name: "Customer" } }],
  ["x", { kind: "tensor", dtype: "float32", shape: [1, 4] }],
  ["w", { kind: "tensor", dtype: "float32", shape: [4, 8] }],
  ["v", { kind: "tensor", dtype: "float32", shape: [3] }],
]);

function check(text: string, allowOld = false) {
  const r = checkExpression(parseOk(text), { types, scope, allowOld });
  return {
    type: typeToString(r.type),
    problems: r.problems.map((p) => `${p.code} ${p.message}`),
    spans: r.problems.map((p) => p.span),
  };
}

describe("type checker: what an expression means", () => {
  it.each([
    ["amount + 1", "decimal"],
    ["count + 1", "integer"],
    ["count / 2", "decimal"],
    ["ratio * 0.5", "float"],
    ["count * ratio", "float"],
    ["name + '!'", "string"],
    ["customer.balance >= 0", "boolean"],
    ["SUM(c IN items: c.balance)", "decimal"],
    ["COUNT(c IN items: c.tier == 'gold')", "integer"],
    ["FORALL c IN items: c.balance > 0", "boolean"],
    ["matmul(x, w)", "tensor<float32, [1, 8]>"],
    ["relu(matmul(x, w)) + 1.0", "tensor<float32, [1, 8]>"],
    ["mean(v)", "float"],
    ["v - mean(v)", "tensor<float32, [3]>"],
    ["ROUND(amount * 0.029, 2)", "decimal"],
    ["currency == 'EUR'", "boolean"],
    ["[1, 2.5]", "array<decimal>"],
  ])("%s : %s", (text, type) => {
    const r = check(text);
    expect(r.problems).toEqual([]);
    expect(r.type).toBe(type);
  });
});

describe("type checker: what it rejects, and where", () => {
  it("rejects comparing a decimal with a string, pointing at the whole comparison", () => {
    const r = check("amount > 'x'");
    expect(r.problems).toEqual(["V410 cannot compare decimal with string using '>'"]);
    expect(r.spans[0]).toEqual({ start: 0, end: 12 });
  });

  it.each([
    ["amount + ratio", "V410 cannot mix decimal and float"],
    ["amount == ratio", "V410 cannot compare decimal with float"],
    ["currency == 'YEN'", "V413 'YEN' is not a value of enum[USD, EUR]"],
    ["'YEN' IN [currency]", "V413 'YEN' is not a value of enum[USD, EUR]"],
    ["amout > 0", "V401 unknown name 'amout'; did you mean 'amount'?"],
    ["customer.balanse", "V411 Customer has no field 'balanse'; did you mean 'balance'?"],
    ["SUMM(items)", "V402 unknown function 'SUMM'; did you mean 'SUM'?"],
    ["ROUND()", "V403 ROUND() takes 1 to 3 arguments, not 0"],
    ["old(amount) > 0", "V404 old() can only be used in postconditions"],
    ["ok AND amount", "V412 AND needs boolean operands, not decimal"],
    ["NOT amount", "V412 NOT needs a boolean, not decimal"],
    ["FORALL c IN items: c.balance", "V412 FORALL needs a boolean condition"],
    ["FORALL c IN amount: c > 0", "V410 FORALL needs a collection to range over, not decimal"],
    ["matmul(w, x)", "V410 matmul() inner dimensions differ: 8 and 1"],
    ["v + x", "V410 shapes [3] and [1, 4] cannot be broadcast together"],
    ["relu(amount)", "V410 relu() needs a tensor, not decimal"],
    ["name - 1", "V410 cannot subtract string and integer"],
    ["name[ok]", "V410 an index must be an integer, not boolean"],
    ["ROUND(amount, 2, 'NEAREST')", "V410 ROUND()'s mode must be one of"],
    ["ROUND(amount, -2)", "V410 ROUND() needs zero or more decimal places"],
    ["count.x", "V410 cannot read field 'x' of an integer"],
  ])("%s → %s", (text, problem) => {
    const r = check(text);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain(problem);
  });

  it("accepts old() in postconditions but not nested", () => {
    expect(check("amount <= old(amount)", true).problems).toEqual([]);
    expect(check("old(old(amount)) > 0", true).problems[0]).toContain("cannot be nested");
  });

  it("reports every problem in one expression, not just the first", () => {
    expect(check("amout > 0 AND nme == 'x'").problems).toHaveLength(2);
  });

  it("points a field problem at the field name", () => {
    expect(check("customer.balanse").spans[0]).toEqual({ start: 9, end: 16 });
  });
});
