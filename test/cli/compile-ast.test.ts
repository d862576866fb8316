import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("vesper compile --emit ast", () => {
  it("prints the typed AST with positions for every part", () => {
    const r = cli("vesper", ["compile", "examples/payment.vsp", "--emit", "ast"]);
    expect(r.status).toBe(0);
    const ast = JSON.parse(r.stdout);
    expect(ast).toMatchObject({ format: "vesper-ast", version: 1 });
    expect(ast.node.nodeId).toMatchObject({
      value: "payments.process_payment@1.0.0",
      loc: { file: "examples/payment.vsp", line: 3 },
    });
    const amount = ast.node.inputs.find((i: { name: string }) => i.name === "amount");
    expect(amount).toMatchObject({ type: { kind: "decimal" }, scale: 2, loc: { line: expect.any(Number), col: 3 } });
    const charge = ast.node.flow.find((s: { name: string }) => s.name === "charge_card");
    expect(charge).toMatchObject({ op: "call", tool: { value: "sim.payments.charge" }, timeoutMs: 3000 });
    expect(charge.args[0].value.expr).toMatchObject({ kind: "name", name: "to_charge" });
    const settle = ast.node.flow.find((s: { name: string }) => s.name === "settle");
    expect(settle.then.map((s: { op: string }) => s.op)).toEqual(["transition", "return"]);
  });

  it("writes to --out and says where", () => {
    const out = join(mkdtempSync(join(tmpdir(), "vesper-ast-")), "payment.ast.json");
    const r = cli("vesper", ["compile", "examples/payment.vsp", "--emit", "ast", "--out", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`to ${out}`);
    expect(JSON.parse(readFileSync(out, "utf8")).node.nodeId.value).toBe("payments.process_payment@1.0.0");
  });
});
