import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// `veyra seeds run` through bin/veyra.js, interrupted the way a user does it: SIGINT
// (Ctrl-C) after the first epoch. The epoch in progress finishes and is checkpointed,
// the run is marked interrupted, the program exits 130 and names --resume; `--resume
// RUN` then finishes the run, and its final figures and seeds equal those of the same
// run left alone.

const fresh = () => join(mkdtempSync(join(tmpdir(), "vesper-seeds-ctrl-c-")), "store.db");
const ARGS = ["seeds", "run", "--dataset", "spirals", "--epochs", "5", "--baseline", "--json"];
const jsonLines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const summaryOf = (text: string) => jsonLines(text).find((o) => o.type === "summary")!;

describe("veyra seeds run and Ctrl-C", () => {
  it("checkpoints, exits 130, and --resume continues to the figures of an uninterrupted run", async () => {
    const store = fresh();
    const child = spawn(process.execPath, [join(ROOT, "bin/veyra.js"), ...ARGS, "--store", store], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", VEYRA_CONFIG: undefined },
    });
    let out = "";
    let signalled = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!signalled && out.includes('"type":"epoch"')) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    const status = await new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    expect(status).toBe(130);
    const interrupted = summaryOf(out);
    expect(interrupted).toMatchObject({ status: "interrupted" });
    expect(interrupted.epochs as number).toBeLessThan(5);
    const runId = interrupted.runId as string;
    expect(
      jsonLines(out).some((o) => o.type === "event" && (o.event as { status?: string }).status === "interrupted"),
    ).toBe(true);

    const resumed = cli("veyra", ["seeds", "run", "--resume", runId, "--store", store, "--json"]);
    expect(resumed.stderr).toBe("");
    expect(resumed.status).toBe(0);
    const finished = summaryOf(resumed.stdout);
    expect(jsonLines(resumed.stdout)[0]).toMatchObject({ type: "start", runId, resumedFrom: interrupted.epochs });

    const whole = cli("veyra", [...ARGS, "--store", fresh()]);
    expect(whole.status).toBe(0);
    const expected = summaryOf(whole.stdout);
    expect({ ...finished, runId: "" }).toEqual({ ...expected, runId: "" });
    expect(finished.status).toBe("finished");

    const verify = cli("veyra", ["seeds", "verify", runId, "--store", store]);
    expect(verify.status).toBe(0);
  }, 120_000);
});
