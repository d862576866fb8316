import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { hasTmux, terminal } from "../helpers/tmux.js";

// The REPLs at a real terminal (tmux), as a shell behaves: Ctrl-C clears the line
// being typed and the session goes on; on an empty line it says how to leave, and a
// second Ctrl-C ends the session. Leaving a replay (Ctrl-D, quit) ends on a fresh
// line, and with step edits not applied to the file it asks before dropping them.

const dir = mkdtempSync(join(tmpdir(), "vesper-repl-keys-"));
// A terminal of its own for each test (a private tmux server each), all closed at the end.
const terminals: ReturnType<typeof terminal>[] = [];
let term: ReturnType<typeof terminal>;
afterAll(() => {
  for (const t of terminals) t.close();
});

const type = (text: string) => {
  term.tmux("send-keys", "-t", "s", "-l", text);
  term.tmux("send-keys", "-t", "s", "Enter");
};
const key = (k: string) => term.tmux("send-keys", "-t", "s", k);
const waitFor = (test: (text: string) => boolean, what: string) => term.waitFor(test, what);
const count = (text: string, what: string) => text.split(what).length - 1;

function start(command: string, columns = 120) {
  term = terminal(`vesper-repl-keys-${terminals.length}`);
  terminals.push(term);
  const shell = `${command}; printf '[exited %d]\\n' $?; sleep 120`;
  const env = ["-e", "NO_COLOR=1", "-e", `VESPER_HISTORY=${join(dir, "history")}`];
  expect(term.tmux("new-session", "-d", "-s", "s", "-x", String(columns), "-y", "50", ...env, shell).status).toBe(0);
}

describe.skipIf(!hasTmux)(
  `Ctrl-C and leaving at a terminal${hasTmux ? "" : " (skipped: tmux is not installed; apt-get install tmux to run it)"}`,
  () => {
    it("vesper debug: Ctrl-C clears the typed line and the session goes on; twice on an empty line ends it", async () => {
      start(`cd '${ROOT}' && node bin/vesper.js debug examples/payment.vsp --no-record`);
      await waitFor((t) => count(t, "(vesper-db) ") === 1, "the first prompt");
      term.tmux("send-keys", "-t", "s", "-l", "print fee");
      await waitFor((t) => t.includes("(vesper-db) print fee"), "the typed text");
      key("C-c");
      await waitFor((t) => count(t, "(vesper-db) ") === 2, "a fresh prompt after Ctrl-C");
      // The cleared text is not run when Enter is pressed next: `where` is.
      type("where");
      await waitFor((t) => count(t, "(vesper-db) ") === 3, "the prompt after where");
      key("C-c");
      await waitFor((t) => t.includes("Ctrl-C again or Ctrl-D to leave"), "how to leave");
      key("C-c");
      const text = await waitFor((t) => t.includes("[exited "), "the session to end");
      expect(text).toMatch(/\(vesper-db\) print fee\^C\n\(vesper-db\) where\npaused after 0 lockstep steps/);
      expect(text).not.toContain("fee = ");
      expect(text).toContain("no divergence in the 0 steps run");
      expect(text).toContain("[exited 0]");
    });

    it("vesper replay: Ctrl-D with unapplied edits asks; no goes back, yes leaves on a fresh line", async () => {
      const file = join(dir, "payment.vsp");
      copyFileSync(join(ROOT, "examples/payment.vsp"), file);
      const store = join(dir, "store.db");
      const run = cli("vesper", ["run", file, "--runtime", "reference", "--json", "--store", store]);
      const id = (JSON.parse(run.stdout) as { traces: { id: string }[] }).traces[0]!.id;
      start(`cd '${dir}' && node '${ROOT}/bin/vesper.js' replay ${id} --store '${store}'`);
      await waitFor((t) => count(t, "(vesper-replay) ") === 1, "the first prompt");
      type("modify step 4 timeout_ms=4500");
      await waitFor((t) => count(t, "(vesper-replay) ") === 2, "the prompt after modify");
      key("C-d");
      await waitFor((t) => t.includes("quit and drop it? [y/N]"), "the question");
      type("n");
      await waitFor((t) => count(t, "(vesper-replay) ") === 3, "back at the prompt");
      type("quit");
      await waitFor((t) => count(t, "quit and drop it? [y/N]") === 2, "the question again, after quit");
      type("y");
      const text = await waitFor((t) => t.includes("[exited "), "the session to end");
      expect(text).toMatch(
        /1 edit not applied to \S+payment\.vsp \(charge_card\.timeout_ms: 3000 → 4500\); quit and drop it\? \[y\/N\] n\n\(vesper-replay\) quit\n/,
      );
      expect(text).toContain("[exited 0]");
      expect(readFileSync(file, "utf8")).toBe(readFileSync(join(ROOT, "examples/payment.vsp"), "utf8"));
    });

    it("vesper replay: Ctrl-D with nothing to lose ends at once, on a line of its own", async () => {
      const store = join(dir, "store.db");
      const run = cli("vesper", [
        "run",
        join(ROOT, "examples/payment.vsp"),
        "--runtime",
        "reference",
        "--json",
        "--store",
        store,
      ]);
      const id = (JSON.parse(run.stdout) as { traces: { id: string }[] }).traces[0]!.id;
      start(`cd '${dir}' && node '${ROOT}/bin/vesper.js' replay ${id} --store '${store}'`);
      await waitFor((t) => count(t, "(vesper-replay) ") === 1, "the first prompt");
      key("C-d");
      const text = await waitFor((t) => t.includes("[exited "), "the session to end");
      expect(text).toMatch(/\(vesper-replay\) \n\[exited 0\]/);
    });

    it("vesper replay at 80 columns wraps its lines on words, continuation lines indented", async () => {
      const store = join(dir, "slow.db");
      const slow = ["--sim", "sim.payments.charge:latency_ms=4000"];
      const run = cli("vesper", [
        "run",
        join(ROOT, "examples/payment.vsp"),
        "--runtime",
        "reference",
        "--json",
        "--store",
        store,
        ...slow,
      ]);
      const id = (JSON.parse(run.stdout) as { traces: { id: string }[] }).traces[0]!.id;
      start(`cd '${dir}' && node '${ROOT}/bin/vesper.js' replay ${id} --store '${store}'`, 80);
      await waitFor((t) => count(t, "(vesper-replay) ") === 1, "the first prompt");
      type("continue");
      await waitFor((t) => count(t, "(vesper-replay) ") === 2, "the prompt after continue");
      type("quit");
      // capture-pane -J joins the lines the terminal wrapped: a line over 80 columns would show it cut mid-word.
      const text = await waitFor((t) => t.includes("[exited "), "the session to end");
      for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
      expect(text).toMatch(
        /^✗ \[4\] charge_card \(call\) line 75 {2}R208: the node ran for 9400 ms \(virtual\), past\n {4}performance\.timeout_ms 5000, at step 'charge_card'$/m,
      );
    });
  },
);
