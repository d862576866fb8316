import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { hasTmux, terminal } from "../helpers/tmux.js";

// `vesper test` stopped with Ctrl-C (SIGINT) prints the summary of what it compared so
// far and exits 130; piped, it writes no progress. At a terminal (tmux) it shows a
// progress line on stderr, updated in place, which is gone when the summary prints.

const dir = mkdtempSync(join(tmpdir(), "vesper-test-sigint-"));

/** Runs `vesper test` with many inputs, interrupts it once its store exists (the handler is in place by then). */
function interrupted(args: string[], store: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      `${ROOT}/bin/vesper.js`,
      "test",
      "examples/payment.vsp",
      "--runs",
      "1000000",
      "--seed",
      "5",
      "--store",
      store,
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const poll = setInterval(() => {
    if (existsSync(store)) {
      clearInterval(poll);
      // Let it compare a few inputs first.
      setTimeout(() => child.kill("SIGINT"), 300);
    }
  }, 20);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe("vesper test interrupted with Ctrl-C", () => {
  it("prints the partial summary and exits 130, with no progress line when not at a terminal", async () => {
    const r = await interrupted([], join(dir, "text.db"));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toMatch(
      /^payments\.process_payment@1\.0\.0: differential \(reference against direct\), \d+ inputs of 1000000 \(interrupted\), seed 5/,
    );
    expect(r.stdout).toMatch(/compared \d+, agreed \d+, diverged 0/);
    expect(r.stderr).toMatch(/^vesper test: interrupted after \d+ of 1000000 inputs/m);
    expect(r.stderr).not.toContain("testing:");
    expect(r.stderr).not.toContain("\r");
  });

  it("--json: the summary says interrupted and counts only what ran", async () => {
    const r = await interrupted(["--json"], join(dir, "json.db"));
    expect(r.code, r.stderr).toBe(130);
    const s = JSON.parse(r.stdout) as { interrupted: boolean; runs: number; compared: number };
    expect(s.interrupted).toBe(true);
    expect(s.runs).toBeLessThan(1000000);
    expect(s.compared).toBe(s.runs);
  });
});

const { tmux, waitFor, close } = terminal("vesper-test-progress");
afterAll(() => {
  close();
});

describe.skipIf(!hasTmux)(
  `vesper test at a terminal${hasTmux ? "" : " (skipped: tmux is not installed; apt-get install tmux to run it)"}`,
  () => {
    it("shows a progress line updated in place, and Ctrl-C replaces it with the summary", async () => {
      const store = join(dir, "tty.db");
      const command = `cd '${ROOT}' && node bin/vesper.js test examples/payment.vsp --runs 1000000 --seed 5 --store '${store}'; printf '[exited %d]\\n' $?; sleep 120`;
      expect(tmux("new-session", "-d", "-s", "s", "-x", "160", "-y", "30", "-e", "NO_COLOR=1", command).status).toBe(0);
      const during = await waitFor((t) => /testing: \d+\/1000000 inputs, compared \d+/.test(t), "the progress line");
      // One line, rewritten in place: never two progress lines on the screen.
      expect(during.match(/testing: /g)).toHaveLength(1);
      tmux("send-keys", "-t", "s", "C-c");
      const after = await waitFor((t) => t.includes("[exited "), "the test to end");
      expect(after).toContain("[exited 130]");
      expect(after).toMatch(/\d+ inputs of 1000000 \(interrupted\)/);
      expect(after).not.toContain("testing: ");
    });
  },
);
