import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// docs/trace-store.md, "Export": `--format json` is the trace row (values decoded,
// without the seal's columns), every step row with its hash, and every call row; the
// text is exactly JSON.stringify(document, null, 2) and a newline. Checkpoints,
// intents and the seal are not part of it.

describe("vesper traces export --format json", () => {
  it("holds the trace row, its steps and its calls, as the doc lists them", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesper-export-doc-"));
    const store = join(dir, "store.db");
    const vesper = (args: string[]) => cli("vesper", [...args, "--store", store], { cwd: dir });
    const rec = vesper(["run", join(ROOT, "examples/payment.vsp"), "--runtime", "reference", "--json"]);
    const id = (JSON.parse(rec.stdout) as { traces: { id: string }[] }).traces[0]!.id;
    const out = vesper(["traces", "export", id.slice(0, 8), "--format", "json"]);
    expect(out.status).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(out.stdout).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    expect(Object.keys(doc)).toEqual(["format", "trace", "steps", "calls"]);
    expect(doc.format).toBe("vesper-trace/1");
    expect(doc.trace.id).toBe(id);
    expect(Object.keys(doc.trace).filter((k) => k.startsWith("seal"))).toEqual([]);
    expect(doc.steps.map((s: { index: number }) => s.index)).toEqual([...doc.steps.keys()]);
    expect(doc.steps.every((s: { hash: string }) => /^[0-9a-f]{64}$/.test(s.hash))).toBe(true);
    expect(doc.calls).toMatchObject([{ step: "charge_card", tool: "sim.payments.charge", ok: true }]);
    expect(doc.trace.inputs).toMatchObject({ currency: "USD" });
  });
});
