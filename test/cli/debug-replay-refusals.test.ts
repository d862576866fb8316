import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Mistakes a newcomer made while trying the debugger and the replayer.

describe("now() and random() in debugger expressions", () => {
  it("are refused where they are typed, not silently never true", () => {
    for (const spec of ["random() > 0.5", "now() > now()"]) {
      const r = cli("vesper", ["debug", "examples/payment.vsp", "--comparative", "--no-record", "--break-on", spec]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/(random|now)\(\) cannot be used in the debugger/);
    }
    const prompt = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--comparative",
      "--no-record",
      "--commands",
      "break random() < 2; print random()",
    ]);
    expect(prompt.stderr.match(/random\(\) cannot be used in the debugger/g)).toHaveLength(2);
  });
});

describe("replaying a tampered trace", () => {
  it("warns that the recording fails its hash check before blaming the node", () => {
    const store = join(mkdtempSync(join(tmpdir(), "vesper-tamper-")), "store.db");
    const id = (
      JSON.parse(
        cli("vesper", ["run", "examples/payment.vsp", "--runtime", "reference", "--json", "--store", store]).stdout,
      ) as { traces: { id: string }[] }
    ).traces[0]!.id;
    const db = new Database(store);
    db.prepare("UPDATE steps SET event = replace(event, '\"3.2\"', '\"3.9\"') WHERE trace_id = ? AND idx = 2").run(id);
    db.close();
    const r = cli("vesper", ["replay", id, "--store", store, "--commands", "goto 2"]);
    expect(r.stdout).toMatch(
      /warning: this trace fails its hash check \(step row 2 \(compute_fee\) does not match its hash/,
    );
    expect(r.stdout).toContain("fee was 3.9 when recorded, 3.2 in the replay");
    expect(r.status).toBe(4);
  });
});
