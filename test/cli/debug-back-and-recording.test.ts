import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// `back` restores both runs from their snapshots (the contexts included, so a
// call stepped again is served the same way), and `step` from there reproduces the
// same state. The session's two runs are recorded as one linked pair, each step
// once however often the session went back over it.

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, any>);
const views = (stdout: string) => lines(stdout).filter((e) => e.event === "stop");

describe("back then step", () => {
  it("reproduces the same state, past a tool call", () => {
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--no-record",
      "--json",
      "--commands",
      "step 6; view; back 3; view; step 3; view; back 6; view",
    ]);
    expect(r.status, r.stderr).toBe(0);
    // The stops that `view` shows: after step 6, after back 3, after step 3 again, after back to the start.
    const [after6, back3, again, atStart] = views(r.stdout).filter((e) => e.reason === "view") as any[];
    expect(after6.position).toBe(6);
    expect(after6.reference.at.step).toBe("settle");
    expect(back3.position).toBe(3);
    expect(back3.reference.at.step).toBe("compute_fee");
    expect(back3.reference.next.step).toBe("start_processing");
    // Same position, same steps, same values: the charge is served the same id again.
    expect(again).toEqual(after6);
    expect(atStart.position).toBe(0);
    expect(atStart.reference.at).toBeNull();
    expect(atStart.reference.next.step).toBe("enter");
    expect(
      lines(r.stdout)
        .filter((e) => e.event === "back")
        .map((e) => e.steps),
    ).toEqual([3, 6]);
  });

  it("back to the start, then continue, ends exactly as the first run did", () => {
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--no-record",
      "--json",
      "--commands",
      "continue; back 7; continue",
    ]);
    const stops = views(r.stdout).filter((e) => e.reason !== "back");
    expect(stops).toHaveLength(2);
    expect(stops[1]).toEqual(stops[0]);
    expect(stops[0]!.reference.result.output.payment_id).toMatch(/^ch_/);
  });

  it("back with nothing to go back to is an error at the prompt, and the session goes on", () => {
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--no-record",
      "--commands",
      "back; step; back 5; where",
    ]);
    expect(r.stderr).toContain("error: already at the start: nothing has run yet");
    expect(r.stdout).toContain("went back 1 step to the start");
    expect(r.stdout).toMatch(/paused after 0 lockstep steps\nreference +not started; next: enter/);
  });
});

describe("the session's two runs are recorded as a linked pair", () => {
  it("one group, roles reference and direct, every step once even after going back", () => {
    const store = join(mkdtempSync(join(tmpdir(), "vesper-debug-rec-")), "vesper.db");
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--store",
      store,
      "--json",
      "--commands",
      "step 4; back 2; step 2; back 4; continue",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const opening = lines(r.stdout)[0]!;
    expect(opening.event).toBe("session");
    const { group, reference, direct } = opening.traces;
    expect(group).toMatch(/^dbg_[0-9a-f]{12}$/);
    const db = new Database(store, { readonly: true });
    try {
      const traces = db
        .prepare(
          "SELECT id, runtime, role, mode, status, step_count, group_id FROM traces WHERE group_id = ? ORDER BY role DESC",
        )
        .all(group) as any[];
      expect(traces).toEqual([
        {
          id: reference,
          runtime: "reference",
          role: "reference",
          mode: null,
          status: "success",
          step_count: 8,
          group_id: group,
        },
        {
          id: direct,
          runtime: "direct",
          role: "direct",
          mode: null,
          status: "success",
          step_count: 8,
          group_id: group,
        },
      ]);
      const idx = db
        .prepare("SELECT idx FROM steps WHERE trace_id = ? ORDER BY idx")
        .all(reference)
        .map((x: any) => x.idx);
      expect(idx).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(db.prepare("SELECT COUNT(*) AS n FROM tool_calls WHERE trace_id = ?").get(reference)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    expect(lines(r.stdout).at(-1)!.traces).toEqual({ group, reference, direct });
  });

  it("a session that stops before the end leaves its traces marked incomplete", () => {
    const store = join(mkdtempSync(join(tmpdir(), "vesper-debug-rec-")), "vesper.db");
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--store",
      store,
      "--json",
      "--commands",
      "step 2; quit",
    ]);
    const { group } = lines(r.stdout)[0]!.traces;
    const db = new Database(store, { readonly: true });
    try {
      const rows = db.prepare("SELECT status, step_count FROM traces WHERE group_id = ?").all(group);
      expect(rows).toEqual([
        { status: "incomplete", step_count: 2 },
        { status: "incomplete", step_count: 2 },
      ]);
    } finally {
      db.close();
    }
  });

  it("--no-record writes nothing", () => {
    const store = join(mkdtempSync(join(tmpdir(), "vesper-debug-rec-")), "vesper.db");
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--store",
      store,
      "--no-record",
      "--json",
      "--commands",
      "continue",
    ]);
    expect(lines(r.stdout)[0]!.traces).toBeNull();
    expect(cli("vesper", ["debug", "--trace", "tr_0000", "--store", store]).status).toBe(2);
  });
});
