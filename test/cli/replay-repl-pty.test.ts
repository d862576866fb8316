import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { hasTmux, terminal } from "../helpers/tmux.js";

// `vesper replay` at a real terminal (tmux): the (vesper-replay) prompt, travel,
// and `apply` asking before it writes the file — refusing on "n", writing on "y".
// CI machines without tmux skip this file and say why.

const { tmux, waitFor, close } = terminal("vesper-replay-test");
const dir = mkdtempSync(join(tmpdir(), "vesper-replay-pty-"));
const store = join(dir, "vesper.db");

const type = (text: string) => {
  tmux("send-keys", "-t", "s", "-l", text);
  tmux("send-keys", "-t", "s", "Enter");
};
const prompts = (text: string) => text.split("(vesper-replay) ").length - 1;

afterAll(() => {
  close();
});

describe.skipIf(!hasTmux)(
  `vesper replay at a terminal${hasTmux ? "" : " (skipped: tmux is not installed; apt-get install tmux to run it)"}`,
  () => {
    it("prompts, travels, and apply asks before writing", async () => {
      const file = join(dir, "payment.vsp");
      copyFileSync(join(ROOT, "examples/payment.vsp"), file);
      const run = cli("vesper", ["run", file, "--runtime", "reference", "--json", "--store", store]);
      const id = (JSON.parse(run.stdout) as { traces: { id: string }[] }).traces[0]!.id;
      const command = `cd '${dir}' && node '${ROOT}/bin/vesper.js' replay ${id} --store '${store}'; printf '\\n[exited %d]\\n' $?; sleep 120`;
      expect(
        tmux(
          "new-session",
          "-d",
          "-s",
          "s",
          "-x",
          "200",
          "-y",
          "60",
          "-e",
          "NO_COLOR=1",
          "-e",
          `VESPER_HISTORY=${join(dir, "history")}`,
          command,
        ).status,
      ).toBe(0);
      await waitFor((t) => prompts(t) === 1, "the first prompt");

      const commands = ["goto 3", "back", "print fee", "modify step 2 fee=ROUND(amount * 0.03, 2)"];
      for (const [i, c] of commands.entries()) {
        type(c);
        await waitFor((t) => prompts(t) === i + 2, `the prompt after '${c}'`);
      }
      type("apply");
      await waitFor((t) => t.includes("? [y/N]"), "apply's question");
      type("n");
      await waitFor((t) => t.includes("not applied") && prompts(t) === 6, "the refusal");
      expect(readFileSync(file, "utf8")).toBe(readFileSync(join(ROOT, "examples/payment.vsp"), "utf8"));
      type("apply");
      await waitFor((t) => t.split("? [y/N]").length === 3, "apply's second question");
      type("y");
      await waitFor((t) => t.includes("applied to"), "the write");
      type("quit");
      const text = await waitFor((t) => t.includes("[exited "), "the session to end");

      expect(text).toContain("[exited 0]");
      expect(text).toMatch(/\(vesper-replay\) back\nat step 2 of 7: compute_fee/);
      expect(text).toContain("(vesper-replay) print fee\nfee = 3.2");
      expect(readFileSync(file, "utf8")).toContain('fee: "ROUND(amount * 0.03, 2)"');
    });
  },
);
