import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { hasTmux, terminal } from "../helpers/tmux.js";

// The interactive REPL, driven through a real pseudo-terminal (tmux), gives the
// same transcript as the same commands scripted with --commands and piped on
// standard input; its history recalls the last command with the up arrow.
// CI machines without tmux skip this file and say why.

const { tmux, waitFor, close } = terminal("vesper-debug-test");
const dir = mkdtempSync(join(tmpdir(), "vesper-debug-pty-"));
const history = join(dir, "history");

const ARGS = ["debug", "examples/payment.vsp", "--no-record", "--width", "100"];
// Typed at the prompt; "<up>" recalls the previous command from the history.
const TYPED = [
  "break step:charge_card",
  "continue",
  "print to_charge",
  "<up>",
  "print nonsense",
  "step",
  "back 2",
  "step 2",
  "where",
  "diff",
  "quit",
];
const SCRIPTED = TYPED.map((c, i) => (c === "<up>" ? TYPED[i - 1]! : c));
const env = { ...process.env, NO_COLOR: "1", VESPER_HISTORY: history, VEYRA_STORE: join(dir, "vesper.db") };

const prompts = (text: string) => text.split("(vesper-db) ").length - 1;
const normalise = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .trim();

afterAll(() => {
  close();
});

describe.skipIf(!hasTmux)(
  `the REPL at a terminal${hasTmux ? "" : " (skipped: tmux is not installed; apt-get install tmux to run it)"}`,
  () => {
    it("matches --commands and piped standard input, error messages in place, and recalls history", async () => {
      const quoted = ARGS.map((a) => `'${a}'`).join(" ");
      const command = `cd '${ROOT}' && node bin/vesper.js ${quoted}; printf '\\n[exited %d]\\n' $?; sleep 120`;
      expect(
        tmux(
          "new-session",
          "-d",
          "-s",
          "s",
          "-x",
          "220",
          "-y",
          "50",
          "-e",
          `VESPER_HISTORY=${history}`,
          "-e",
          "NO_COLOR=1",
          "-e",
          `VEYRA_STORE=${env.VEYRA_STORE}`,
          command,
        ).status,
      ).toBe(0);
      await waitFor((t) => prompts(t) === 1, "the first prompt");
      for (const [i, typed] of TYPED.entries()) {
        if (typed === "<up>") tmux("send-keys", "-t", "s", "Up", "Enter");
        else {
          tmux("send-keys", "-t", "s", "-l", typed);
          tmux("send-keys", "-t", "s", "Enter");
        }
        if (typed !== "quit") await waitFor((t) => prompts(t) === i + 2, `the prompt after '${typed}'`);
      }
      const text = await waitFor((t) => t.includes("[exited "), "the session to end");
      const repl = normalise(text.slice(text.indexOf("vesper debug:"), text.indexOf("[exited ")));
      // At the prompt a mistyped command is just corrected; only a script with a bad command exits 2.
      expect(text).toContain("[exited 0]");

      // The same commands, scripted (errors on stderr, merged here in order).
      const list = SCRIPTED.map((c) => c.replace(/'/g, "'\\''")).join("; ");
      const scripted = spawnSync("sh", ["-c", `node bin/vesper.js ${quoted} --commands '${list}' 2>&1`], {
        cwd: ROOT,
        encoding: "utf8",
        env,
      });
      expect(normalise(scripted.stdout)).toBe(repl);
      const piped = spawnSync("sh", ["-c", `node bin/vesper.js ${quoted} 2>&1`], {
        cwd: ROOT,
        encoding: "utf8",
        env,
        input: `${SCRIPTED.join("\n")}\n`,
      });
      expect(normalise(piped.stdout)).toBe(repl);

      expect(repl).toContain(
        "(vesper-db) print to_charge\nreference  93.19\ndirect     93.19\n(vesper-db) print to_charge\nreference  93.19",
      );
      expect(repl).toContain("(vesper-db) print nonsense\nerror: in 'nonsense': unknown name 'nonsense'");
      expect(readFileSync(history, "utf8")).toContain("print to_charge\nprint to_charge\nprint nonsense\n");
    });
  },
);
