import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// `vesper traces list --since/--until/--match/--status failed` through bin/ on a real
// store: three runs recorded one after another, the boundaries taken from their own
// started_at (since inclusive, until exclusive; a bare date takes the whole UTC day);
// --json keeps its shape; a bad date names its flag and exits 2.

const store = join(mkdtempSync(join(tmpdir(), "vesper-list-since-")), "store.db");
const vesper = (args: string[]) => cli("vesper", [...args, "--store", store]);

interface Summary {
  id: string;
  node_id: string;
  started_at: string;
}
const listJson = (...flags: string[]) => {
  const r = vesper(["traces", "list", "--json", ...flags]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Summary);
};
const ids = (...flags: string[]) => listJson(...flags).map((t) => t.id);

let first: Summary;
let second: Summary;
let third: Summary;
const day = (iso: string, shift = 0) =>
  new Date(Date.parse(iso.slice(0, 10)) + shift * 86_400_000).toISOString().slice(0, 10);

beforeAll(() => {
  for (const file of ["examples/payment.vsp", "examples/order_total.vsp", "examples/payment.vsp"]) {
    expect(vesper(["run", file, "--runtime", "reference", "--json"]).status).toBe(0);
  }
  [third, second, first] = listJson() as [Summary, Summary, Summary];
});

describe("vesper traces list --since/--until", () => {
  it("records three traces at distinct times, newest first, in the same JSON shape as before", () => {
    expect(first.started_at < second.started_at && second.started_at < third.started_at).toBe(true);
    expect(Object.keys(first)).toEqual([
      "id",
      "node_id",
      "runtime",
      "mode",
      "status",
      "steps",
      "step_rows",
      "started_at",
      "duration_us",
      "engine_backend",
      "group_id",
      "role",
      "parent_id",
      "fork_step",
      "node_file",
    ]);
  });

  it("--since a trace's own start includes it; --until it excludes it", () => {
    expect(ids("--since", second.started_at)).toEqual([third.id, second.id]);
    expect(ids("--until", second.started_at)).toEqual([first.id]);
    expect(ids("--since", first.started_at, "--until", third.started_at)).toEqual([second.id, first.id]);
    expect(ids("--since", second.started_at, "--until", second.started_at)).toEqual([]);
  });

  it("a date-time without a zone is UTC, and one with an offset is moved to UTC", () => {
    const utc = second.started_at.slice(0, -1); // …T09:30:00.123 without the Z
    expect(ids("--since", utc)).toEqual([third.id, second.id]);
    const ms = Date.parse(second.started_at) + 2 * 3_600_000;
    const plusTwo = `${new Date(ms).toISOString().slice(0, -1)}+02:00`;
    expect(ids("--since", plusTwo)).toEqual([third.id, second.id]);
  });

  it("a bare date takes the whole UTC day: --until the first trace's day includes it", () => {
    expect(ids("--until", day(first.started_at))).toContain(first.id);
    expect(ids("--since", day(first.started_at))).toContain(first.id);
    expect(ids("--until", day(first.started_at, -1))).toEqual([]);
    expect(ids("--since", day(third.started_at, 1))).toEqual([]);
  });

  it("--limit applies after the filter, so older traces are reached", () => {
    expect(ids("--until", third.started_at, "--limit", "1")).toEqual([second.id]);
  });

  it("text output says no traces match when a date leaves none", () => {
    const r = vesper(["traces", "list", "--since", day(third.started_at, 1)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("no traces match\n");
  });
});

describe("vesper traces list --match and --status failed", () => {
  it("--match is text the node id or file contains, in any case; --node stays exact", () => {
    expect(ids("--match", "ORDER")).toEqual([second.id]);
    expect(ids("--match", "examples/", "--match", "payment")).toEqual([third.id, first.id]);
    expect(ids("--node", "payments")).toEqual([]);
    expect(ids("--node", first.node_id, "--since", second.started_at)).toEqual([third.id]);
  });

  it("--status failed lists every status but success and running", () => {
    const other = join(mkdtempSync(join(tmpdir(), "vesper-list-failed-")), "store.db");
    const run = (...flags: string[]) =>
      cli("vesper", ["run", "examples/payment.vsp", "--runtime", "reference", "--store", other, ...flags]);
    expect(run().status).toBe(0);
    // The charge outlasts its step's timeout on every attempt: the run fails (exit 3).
    expect(run("--sim", "sim.payments.charge:latency_ms=4000").status).toBe(3);
    const list = (...flags: string[]) =>
      cli("vesper", ["traces", "list", "--json", "--store", other, ...flags])
        .stdout.trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { status: string }).status);
    expect(list()).toEqual(["runtime_error", "success"]);
    expect(list("--status", "failed")).toEqual(["runtime_error"]);
    expect(ids("--status", "failed")).toEqual([]);
    expect(ids("--status", "success", "--until", second.started_at)).toEqual([first.id]);
  });
});

describe("bad dates name their flag and exit 2", () => {
  it.each([
    ["--since", "yesterday"],
    ["--until", "2026-02-30"],
    ["--since", "2026-11-01T25:00"],
    ["--until", "1730000000000"],
  ])("%s %s", (flag, value) => {
    const r = vesper(["traces", "list", flag, value]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `vesper: error: ${flag} needs a UTC date such as 2026-11-01 or 2026-11-01T09:30Z, not '${value}'\n`,
    );
  });
});
