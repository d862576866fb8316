import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasTmux, terminal } from "../helpers/tmux.js";

// The terminal tests' tmux servers must leave nothing behind: a server started with
// -L keeps its socket in tmux's own folder (/tmp/tmux-UID), which outlives the
// server and the test run. The helper puts the socket in the temporary folder, which
// is the run's scratch folder (removed when the run ends).

const tmuxOwnFolder = join(process.env.TMUX_TMPDIR ?? "/tmp", `tmux-${process.getuid?.() ?? 0}`);

describe.skipIf(!hasTmux)("a tmux terminal of the tests", () => {
  it("keeps its socket in the temporary folder and none in tmux's own folder", () => {
    const before = existsSync(tmuxOwnFolder) ? readdirSync(tmuxOwnFolder) : [];
    const t = terminal("socket-place");
    try {
      expect(t.tmux("new-session", "-d", "-s", "s", "-x", "40", "-y", "5", "sh").status).toBe(0);
      const sockets = readdirSync(tmpdir()).filter((f) => f.startsWith("tmux-socket-place-"));
      expect(sockets).toHaveLength(1);
    } finally {
      t.close();
    }
    const after = existsSync(tmuxOwnFolder) ? readdirSync(tmuxOwnFolder) : [];
    expect(after.filter((f) => !before.includes(f) && f.startsWith("socket-place"))).toEqual([]);
  });
});
