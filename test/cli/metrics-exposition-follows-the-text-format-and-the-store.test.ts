import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { TraceStore } from "../../src/store/store.js";
import { ROOT, cli } from "../helpers/cli.js";
import { type Family, parseExposition, valueOf } from "../helpers/prometheus-text.js";

// `vesper metrics` read by an independent parser of the text exposition format
// (test/helpers/prometheus-text.ts), and every value held to counts taken from the
// store's own rows with SQL: traces per runtime, the answering trace of each group,
// executions per mode, failures by status and code, comparisons and divergences.

const dir = mkdtempSync(join(tmpdir(), "vesper-metrics-format-"));
const store = join(dir, "vesper.db");
const env = { VEYRA_STORE: store };
const PAYMENT = "payments.process_payment@1.0.0";
const ODD = "t.odd_code@1.0.0";

// A node whose declared error code is its input: label values with every character the format escapes.
const oddFile = join(dir, "odd.vsp");
writeFileSync(
  oddFile,
  `node_id: ${ODD}
type: function
intent: return a declared error whose code is the input
inputs:
  c: {type: string}
outputs:
  success:
    y: integer
  error:
    code: string
flow:
  - step: fail
    op: return
    output: error
    values:
      code: "c"
samples:
  a:
    c: "x"
`,
);

const run = (args: string[]) => cli("vesper", ["run", ...args], { env });
const wrong = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "test/fixtures/vesper-wrong-op.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: "",
    env: { ...process.env, NO_COLOR: "1", VEYRA_STORE: store, VESPER_WRONG_OP: "round" },
  });

function record() {
  for (const mode of ["reference_only", "shadow_direct", "canary_direct", "dual_verify", "direct_only"])
    run(["examples/payment.vsp", "--mode", mode]);
  run(["examples/payment.vsp", "--mode", "canary_direct", "--canary", "100"]);
  run(["examples/payment.vsp", "--mode", "direct_only", "--sample-percent", "100", "--input", "amount=12.34"]);
  // Divergences: the wrong-ROUND fixture diverges on the sample in every comparing mode.
  wrong(["run", "examples/payment.vsp", "--mode", "dual_verify"]);
  wrong(["run", "examples/payment.vsp", "--mode", "shadow_direct"]);
  wrong(["run", "examples/payment.vsp", "--mode", "direct_only", "--sample-percent", "100"]);
  run(["examples/refund.vsp", "--input", "amount=-1", "--mode", "reference_only"]);
  run([oddFile, "--mode", "dual_verify", "--inputs", JSON.stringify({ c: 'a"b\\c\nd é' })]);
  run([oddFile, "--mode", "reference_only", "--inputs", JSON.stringify({ c: "\\n" })]);
}

interface TraceRow {
  node_id: string;
  runtime: string;
  mode: string;
  status: string;
  role: string;
  group_id: string;
  output: string | null;
  failure: string | null;
}

/** What the metrics should say, counted from the trace rows alone. */
function expectedFromRows(rows: TraceRow[], divergences: { node_id: string; source: string; n: number }[]) {
  const counters = new Map<string, number>();
  const add = (key: string, by = 1) => counters.set(key, (counters.get(key) ?? 0) + by);
  const groups = new Map<string, TraceRow[]>();
  for (const r of rows) {
    add(`vesper_executions_total|${r.node_id}|${r.runtime}`);
    groups.set(r.group_id, [...(groups.get(r.group_id) ?? []), r]);
  }
  for (const g of groups.values()) {
    const answer = g.find((r) => r.role === "fallback") ?? g.find((r) => r.role === "primary")!;
    add(`vesper_answers_total|${answer.node_id}|${answer.runtime}`);
    add(`count|${answer.node_id}|${answer.mode}`);
    if (g.length > 1) add(`vesper_comparisons_total|${answer.node_id}|${answer.mode}`);
    if (answer.status !== "success") {
      const code = answer.failure
        ? (JSON.parse(answer.failure) as { code: string }).code
        : (JSON.parse(answer.output!) as { f: { code: string } }).f.code;
      add(`vesper_errors_total|${answer.node_id}|${answer.status}|${code}`);
    }
  }
  for (const d of divergences) add(`vesper_divergences_total|${d.node_id}|${d.source}`, d.n);
  return counters;
}

describe("vesper metrics: the text format, and values that match the store's rows", () => {
  record();

  it("parses under the format's rules and every counter matches an SQL count of the traces", () => {
    const r = cli("vesper", ["metrics"], { env });
    expect(r.status).toBe(0);
    const families = parseExposition(r.stdout);
    expect([...families.keys()]).toEqual([
      "vesper_executions_total",
      "vesper_answers_total",
      "vesper_traffic_split_ratio",
      "vesper_execution_duration_seconds",
      "vesper_errors_total",
      "vesper_comparisons_total",
      "vesper_divergences_total",
      "vesper_confidence",
      "vesper_mode",
    ]);
    const db = new Database(store, { readonly: true });
    const rows = db
      .prepare(
        "SELECT node_id, runtime, mode, status, role, group_id, output, failure FROM traces WHERE mode IS NOT NULL",
      )
      .all() as TraceRow[];
    const divergences = db
      .prepare("SELECT node_id, source, COUNT(*) AS n FROM divergences GROUP BY node_id, source")
      .all() as { node_id: string; source: string; n: number }[];
    db.close();
    const expected = expectedFromRows(rows, divergences);
    expect(divergences.reduce((a, d) => a + d.n, 0)).toBe(3);

    const actual = new Map<string, number>();
    const put = (f: Family, label: (l: Record<string, string>) => string) => {
      for (const s of f.samples)
        if (s.value !== 0) actual.set(`${s.name}|${s.labels.node}|${label(s.labels)}`, s.value);
    };
    put(families.get("vesper_executions_total")!, (l) => l.runtime!);
    put(families.get("vesper_answers_total")!, (l) => l.runtime!);
    put(families.get("vesper_errors_total")!, (l) => `${l.status}|${l.code}`);
    put(families.get("vesper_comparisons_total")!, (l) => l.source!);
    put(families.get("vesper_divergences_total")!, (l) => l.source!);
    for (const s of families.get("vesper_execution_duration_seconds")!.samples)
      if (s.name.endsWith("_count")) actual.set(`count|${s.labels.node}|${s.labels.mode}`, s.value);
    expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));

    // The split is answers over all answers, per node.
    for (const s of families.get("vesper_traffic_split_ratio")!.samples) {
      const node = s.labels.node!;
      const all = ["reference", "direct"].reduce(
        (a, rt) => a + (expected.get(`vesper_answers_total|${node}|${rt}`) ?? 0),
        0,
      );
      expect(s.value).toBeCloseTo((expected.get(`vesper_answers_total|${node}|${s.labels.runtime}`) ?? 0) / all, 12);
    }
    // The odd error codes come back exactly as the node returned them.
    expect(valueOf(families, "vesper_errors_total", { node: ODD, status: "error", code: 'a"b\\c\nd é' })).toBe(1);
    expect(valueOf(families, "vesper_errors_total", { node: ODD, status: "error", code: "\\n" })).toBe(1);
  });

  it("naming a node twice with --node prints each of its series once", () => {
    const r = cli("vesper", ["metrics", "--node", PAYMENT, "--node", PAYMENT], { env });
    expect(r.status).toBe(0);
    const families = parseExposition(r.stdout);
    expect(valueOf(families, "vesper_answers_total", { node: PAYMENT, runtime: "direct" })).toBeGreaterThan(0);
  });

  it("node ids with quotes, backslashes, line feeds and non-ASCII in the store are label values that read back", () => {
    const odd = join(dir, "odd-ids.db");
    TraceStore.open(odd).close();
    const ids = ['q"uote@1.0.0', "back\\slash@1.0.0", "line\nfeed@1.0.0", "ünï ✓@1.0.0", "trailing\\@1.0.0"];
    const db = new Database(odd);
    for (const id of ids) {
      db.prepare(
        "INSERT INTO comparisons (node_id, content_hash, source, compared, agreed, first_at, last_at) VALUES (?, 'h', 'test', 5, 4, 1, 1)",
      ).run(id);
      db.prepare("INSERT INTO runtime_executions (node_id, runtime, ran, answered) VALUES (?, 'reference', 3, 3)").run(
        id,
      );
    }
    db.close();
    const r = cli("vesper", ["metrics", "--store", odd]);
    expect(r.status).toBe(0);
    const families = parseExposition(r.stdout);
    for (const id of ids) {
      expect(valueOf(families, "vesper_comparisons_total", { node: id, source: "test" })).toBe(5);
      expect(valueOf(families, "vesper_divergences_total", { node: id, source: "test" })).toBe(1);
      expect(valueOf(families, "vesper_answers_total", { node: id, runtime: "reference" })).toBe(3);
      expect(valueOf(families, "vesper_traffic_split_ratio", { node: id, runtime: "reference" })).toBe(1);
      expect(valueOf(families, "vesper_confidence", { node: id })).toBe(0);
    }
  });

  it("an empty store prints every family's HELP and TYPE and no samples, exit 0", () => {
    const empty = join(dir, "empty.db");
    TraceStore.open(empty).close();
    const r = cli("vesper", ["metrics", "--store", empty]);
    expect(r.status).toBe(0);
    const families = parseExposition(r.stdout);
    expect(families.size).toBe(9);
    for (const f of families.values()) {
      expect(f.samples).toEqual([]);
      expect(f.help).toBeTruthy();
    }
  });
});
