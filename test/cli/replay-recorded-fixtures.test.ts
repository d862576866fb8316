import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// Stores recorded by earlier versions (test/fixtures/traces/, see its README.md) must
// keep verifying and replaying: a migration or codec change that breaks old traces
// fails here. Each fixture is copied to a temporary folder first, because opening a
// store may migrate it: the committed file is never opened in place.
//
// The recorder stores the node file's ABSOLUTE path, and the fixtures were recorded
// from a folder deleted afterwards, so (as for any store brought from another clone)
// every replay names the file with --file: the frozen copies in fixtures/traces/nodes/.

const DIR = join(ROOT, "test/fixtures/traces");
const NODES = join(DIR, "nodes");
const KINDS = ["payment-fork", "debug-wrong-round", "tensor-mlp"] as const;
type Kind = (typeof KINDS)[number];

const FIXTURES = readdirSync(DIR)
  .map((f) => /^schema(\d+)-([a-z0-9-]+)\.db$/.exec(f))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ file: m[0], schema: Number(m[1]), kind: m[2] as Kind }));

interface Listed {
  id: string;
  runtime: string;
  role: string | null;
  mode: string | null;
  status: string;
  engine_backend: string;
  group_id: string | null;
  parent_id: string | null;
  fork_step: number | null;
  node_file: string;
}

interface ForkEdit {
  step: string;
  param: string;
  value: string;
}

const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");
const jsonLines = <T>(stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as T);

/** The schema version a SQLite file was last written at: PRAGMA user_version, bytes 60-63 of its header. */
const headerVersion = (path: string) => readFileSync(path).readUInt32BE(60);

/** A temporary copy of one fixture and the programs run against it, from a folder that is not the package root. */
function openCopy(file: string) {
  const work = mkdtempSync(join(tmpdir(), "vesper-fixture-"));
  const store = join(work, file);
  copyFileSync(join(DIR, file), store);
  const vesper = (args: string[]) =>
    cli("vesper", [...args, "--store", store], { cwd: work, env: { VEYRA_STORE: store } });
  const replay = (id: string, nodeFile: string, json = false) =>
    vesper(["replay", id, "--file", nodeFile, ...(json ? ["--json"] : [])]);
  const traces = () => jsonLines<Listed>(vesper(["traces", "list", "--json", "--limit", "1000"]).stdout);
  const exported = (id: string) =>
    JSON.parse(vesper(["traces", "export", id]).stdout) as {
      trace: { content_hash: string; fork_change: ForkEdit[] | null };
    };
  return {
    work,
    store,
    vesper,
    replay,
    traces,
    exported,
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}

const IDENTICAL = /^end of trace: .* — identical to the recording$/m;

describe("the replay fixtures", () => {
  it("are stores of the known kinds, at least one of each, named schema<N>-<kind>.db", () => {
    expect(FIXTURES.map((f) => f.kind).filter((k) => !KINDS.includes(k))).toEqual([]);
    for (const kind of KINDS)
      expect(
        FIXTURES.some((f) => f.kind === kind),
        kind,
      ).toBe(true);
  });

  it("are committed compacted (no WAL beside them) and small", () => {
    const leftovers = readdirSync(DIR).filter((f) => /\.db-(wal|shm|journal)$/.test(f));
    expect(leftovers).toEqual([]);
    const total = FIXTURES.reduce((n, f) => n + readFileSync(join(DIR, f.file)).length, 0);
    expect(total).toBeLessThan(512 * 1024);
  });
});

for (const fixture of FIXTURES) {
  describe(`${fixture.file}`, () => {
    const committed = join(DIR, fixture.file);
    const before = sha256(readFileSync(committed));
    let copy: ReturnType<typeof openCopy>;
    let traces: Listed[];
    beforeAll(() => {
      copy = openCopy(fixture.file);
      traces = copy.traces();
    });
    afterAll(() => copy.remove());

    it(`was recorded at schema version ${fixture.schema}, as its name says`, () => {
      expect(headerVersion(committed)).toBe(fixture.schema);
    });

    it("verifies every trace's hash chain (exit 0)", () => {
      const r = copy.vesper(["traces", "verify", "--json"]);
      expect(r.status, r.stderr).toBe(0);
      const results = jsonLines<{ trace: string; ok: boolean; problem: unknown }>(r.stdout);
      expect(results.map((v) => v.trace).sort()).toEqual(traces.map((t) => t.id).sort());
      expect(results.filter((v) => !v.ok)).toEqual([]);
    });

    it("records a node path that exists nowhere, so a replay without --file says to pass one (exit 2)", () => {
      for (const t of traces) expect(existsSync(t.node_file), t.node_file).toBe(false);
      const r = copy.vesper(["replay", traces[0]!.id]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("no longer exists; pass --file to replay another copy");
    });

    if (fixture.kind === "payment-fork") paymentFork(() => ({ copy, traces }));
    if (fixture.kind === "debug-wrong-round") debugPair(() => ({ copy, traces }));
    if (fixture.kind === "tensor-mlp") tensorNode(() => ({ copy, traces }));

    it("was never opened in place: the committed file is byte for byte as it was", () => {
      expect(sha256(readFileSync(committed))).toBe(before);
    });
  });
}

type Opened = () => { copy: ReturnType<typeof openCopy>; traces: Listed[] };

/** A payment run on both runtimes with a fork, and a timed-out run with a fork that succeeds. */
function paymentFork(opened: Opened) {
  const PAYMENT = join(NODES, "payment.vsp");
  // The recorded edits, and the same change made to the text by hand: a fork ran its parent's file with them.
  const EDITS: Record<string, { edit: ForkEdit; from: string; to: string }> = {
    "set.fee": {
      edit: { step: "compute_fee", param: "set.fee", value: "ROUND(amount * 0.03, 2)" },
      from: '      fee: "ROUND(amount * 0.029 + 0.30, 2)"\n',
      to: '      fee: "ROUND(amount * 0.03, 2)"\n',
    },
    timeout_ms: {
      edit: { step: "charge_card", param: "timeout_ms", value: "4500" },
      from: "    timeout_ms: 3000\n",
      to: "    timeout_ms: 4500\n",
    },
  };

  it("holds a dual_verify pair, a timed-out reference run, and a fork of each", () => {
    const { traces } = opened();
    expect(traces).toHaveLength(5);
    const ref = traces.find((t) => t.mode === "dual_verify" && t.runtime === "reference")!;
    const direct = traces.find((t) => t.mode === "dual_verify" && t.runtime === "direct")!;
    expect(ref).toMatchObject({ role: "primary", status: "success", parent_id: null });
    expect(direct).toMatchObject({ role: "secondary", status: "success", group_id: ref.group_id });
    const slow = traces.find((t) => t.status === "runtime_error")!;
    expect(slow).toMatchObject({ runtime: "reference", mode: "reference_only", role: "primary" });
    const forks = traces.filter((t) => t.role === "fork");
    expect(forks.map((f) => [f.parent_id, f.fork_step, f.status]).sort()).toEqual(
      [
        [ref.id, 2, "success"],
        [slow.id, 4, "success"],
      ].sort(),
    );
  });

  it("replays every trace that is not a fork to the end, identical to the recording (exit 0)", () => {
    const { copy, traces } = opened();
    for (const t of traces.filter((x) => x.role !== "fork")) {
      const r = copy.replay(t.id, PAYMENT);
      expect(r.status, `${t.id}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(IDENTICAL);
      // The frozen copy is the very text these traces ran.
      expect(r.stdout).not.toContain("changed since");
    }
  });

  it("replays the timed-out run to its recorded failure: R208 at charge_card", () => {
    const { copy, traces } = opened();
    const slow = traces.find((t) => t.status === "runtime_error")!;
    const r = copy.replay(slow.id, PAYMENT);
    expect(r.status, r.stderr).toBe(0);
    // A step that failed is marked ✗, as `traces show` marks it, even where it matches the recording.
    expect(r.stdout).toMatch(/✗ \[4\] charge_card \(call\) line \d+ {2}R208: /);
    expect(r.stdout).toMatch(/end of trace: runtime_error R208: .* — identical to the recording/);
  });

  it("replays each fork against the text it ran (its parent's file with its recorded edit): identical, exit 0", () => {
    const { copy, traces } = opened();
    const original = readFileSync(PAYMENT, "utf8");
    for (const fork of traces.filter((t) => t.role === "fork")) {
      const { trace } = copy.exported(fork.id);
      expect(trace.fork_change).toHaveLength(1);
      const recorded = trace.fork_change![0]!;
      const known = EDITS[recorded.param]!;
      expect(recorded).toMatchObject(known.edit);
      const ran = original.replace(known.from, known.to);
      expect(sha256(ran), "the hand-made edit gives the text the fork recorded").toBe(trace.content_hash);
      const file = join(copy.work, `fork-${fork.fork_step}.vsp`);
      writeFileSync(file, ran);
      const r = copy.replay(fork.id, file);
      expect(r.status, `${fork.id}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(IDENTICAL);
      expect(r.stdout).not.toContain("changed since");
    }
  });

  it("replays each fork with --file naming a copy of its parent's file, re-applying its edits", () => {
    const { copy, traces } = opened();
    for (const fork of traces.filter((t) => t.role === "fork")) {
      const r = copy.replay(fork.id, PAYMENT);
      expect(r.status, `${fork.id}: ${r.stdout}`).toBe(0);
      expect(r.stdout).toMatch(IDENTICAL);
      expect(r.stdout).not.toContain("changed since");
    }
  });
}

/** A comparative debug pair whose direct runtime was recorded with a wrong ROUND (vesper-wrong-op.mjs). */
function debugPair(opened: Opened) {
  const PAYMENT = join(NODES, "payment.vsp");

  it("holds one debug group: the reference run that succeeded and the direct run that failed after diverging", () => {
    const { traces } = opened();
    expect(traces).toHaveLength(2);
    const ref = traces.find((t) => t.runtime === "reference")!;
    const direct = traces.find((t) => t.runtime === "direct")!;
    expect(ref.group_id).toMatch(/^dbg_/);
    expect(direct.group_id).toBe(ref.group_id);
    expect(ref).toMatchObject({ role: "reference", status: "success", mode: null });
    // In a debug session the direct runtime is served the reference's tool results;
    // its charge (amount 93.14, from the wrong fee) did not match the recorded call.
    expect(direct).toMatchObject({ role: "direct", status: "runtime_error", mode: null });
  });

  it("replays the reference trace to the end, identical to the recording (exit 0)", () => {
    const { copy, traces } = opened();
    const r = copy.replay(traces.find((t) => t.runtime === "reference")!.id, PAYMENT);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(IDENTICAL);
    expect(r.stdout).not.toContain("changed since");
  });

  // The direct trace was recorded with ROUND truncating (fee 3.19); this build's direct
  // runtime rounds half up (fee 3.20). Replaying it must therefore DEPART from the
  // recording at compute_fee and exit 4: that is what such a fixture is for — a replay
  // that matched it would mean the wrong op had come back.
  it("replays the direct trace with the correct ROUND and departs at compute_fee: fee 3.19 then, 3.2 now (exit 4)", () => {
    const { copy, traces } = opened();
    const r = copy.replay(traces.find((t) => t.runtime === "direct")!.id, PAYMENT);
    expect(r.status, r.stderr).toBe(4);
    // ≠: the step ran (it did not fail) but departs from the recording.
    expect(r.stdout).toContain("≠ [2] compute_fee (compute)");
    expect(r.stdout).toContain("differs from the recording: fee was 3.19 when recorded, 3.2 in the replay");
    expect(r.stdout).toMatch(
      /— DEPARTS FROM THE RECORDING at step 2 \(compute_fee\): fee was 3\.19 when recorded, 3\.2 in the replay$/m,
    );
    // The steps before it were the same then as now.
    expect(r.stdout).toContain("✓ [1] check_amount (validate)");
  });
}

/** A tensor node (matmul → relu → matmul → softmax) recorded on both runtimes. */
function tensorNode(opened: Opened) {
  const MLP = join(NODES, "mlp_inference.vsp");

  it("holds a dual_verify pair: float64 reference loops and the direct runtime's float32 engine", () => {
    const { traces } = opened();
    expect(traces).toHaveLength(2);
    const ref = traces.find((t) => t.runtime === "reference")!;
    const direct = traces.find((t) => t.runtime === "direct")!;
    expect(ref).toMatchObject({ mode: "dual_verify", status: "success", engine_backend: "reference-float64" });
    expect(direct).toMatchObject({
      mode: "dual_verify",
      status: "success",
      engine_backend: "js",
      group_id: ref.group_id,
    });
  });

  it("replays both traces through the tensor step, identical to the recording (exit 0)", () => {
    const { copy, traces } = opened();
    for (const t of traces) {
      const r = copy.replay(t.id, MLP);
      expect(r.status, `${t.runtime}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toContain("✓ [1] forward (tensor)");
      expect(r.stdout).toMatch(/^end of trace: success .*label: "virginica".* — identical to the recording$/m);
      expect(r.stdout).not.toContain("changed since");
    }
  });
}
