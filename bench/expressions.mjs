// Throughput of the expression front end on a realistic contract, in one run:
// parse, type-check and tree-walk evaluation per second, and their ratios.
import { checkExpression } from "../dist/src/expr/check.js";
import { evaluate } from "../dist/src/expr/evaluate.js";
import { parseExpression } from "../dist/src/expr/parse.js";
import { Decimal } from "../dist/src/values/decimal.js";
import { VRecord } from "../dist/src/values/values.js";

const text = "FORALL i IN items: i.qty > 0 AND SUM(i IN items: i.price * i.qty) + ROUND(fee * 0.029, 2) <= limit";
const rec = { kind: "record", name: "Item" };
const types = new Map([
  [
    "Item",
    {
      name: "Item",
      fields: new Map([
        ["qty", { name: "qty", type: { kind: "integer" }, required: true }],
        ["price", { name: "price", type: { kind: "decimal" }, required: true }],
      ]),
    },
  ],
]);
const scope = new Map([
  ["items", { kind: "array", element: rec }],
  ["fee", { kind: "decimal" }],
  ["limit", { kind: "decimal" }],
]);
const items = Array.from(
  { length: 5 },
  (_, i) =>
    new VRecord(
      "Item",
      new Map([
        ["qty", BigInt(i + 1)],
        ["price", new Decimal("9.99")],
      ]),
    ),
);
const env = { lookup: (n) => ({ items, fee: new Decimal("12.50"), limit: new Decimal("1000") })[n] };

function rate(fn, ms = 1000) {
  for (let i = 0; i < 2000; i++) fn(); // warm-up
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    fn();
    n++;
  }
  return n / (ms / 1000);
}

const expr = parseExpression(text).expr;
const parse = rate(() => parseExpression(text));
const check = rate(() => checkExpression(expr, { types, scope }));
const evalRate = rate(() => evaluate(expr, env));
console.log(`expression: ${text}`);
console.log(`parse      ${parse.toFixed(0).padStart(9)} /s`);
console.log(`check      ${check.toFixed(0).padStart(9)} /s   ${(check / parse).toFixed(2)}x parse`);
console.log(`evaluate   ${evalRate.toFixed(0).padStart(9)} /s   ${(evalRate / parse).toFixed(2)}x parse`);
