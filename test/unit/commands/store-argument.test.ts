import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shellWord, storeArgument } from "../../../commands/store-argument.js";

// `--store FILE` in a suggested command: present exactly when the store in use is
// not the one the command would find by itself here, absolute, and quoted so that
// a POSIX shell reads the path back whole.

const env = () => ({ XDG_STATE_HOME: join(mkdtempSync(join(tmpdir(), "vesper-state-")), "state") });

describe("the --store of a suggested command", () => {
  it("is absent without --store, and for the store the default rule finds anyway", () => {
    const project = mkdtempSync(join(tmpdir(), "vesper-project-"));
    mkdirSync(join(project, "traces"));
    expect(storeArgument(undefined, project, env())).toBe("");
    expect(storeArgument("traces/vesper.db", project, env())).toBe("");
    expect(storeArgument(join(project, "traces", "vesper.db"), join(project, "traces"), env())).toBe("");
  });

  it("names any other store by its absolute path, quoted when the shell needs it", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesper-elsewhere-"));
    expect(storeArgument("other.db", dir, env())).toBe(` --store ${join(dir, "other.db")}`);
    expect(storeArgument("my stores/it's.db", dir, env())).toBe(` --store '${dir}/my stores/it'\\''s.db'`);
    // VEYRA_STORE is what a command pasted in the same shell finds by itself.
    expect(storeArgument("other.db", dir, { ...env(), VEYRA_STORE: join(dir, "other.db") })).toBe("");
  });

  it("quotes exactly the words a shell would split or expand", () => {
    for (const safe of ["/tmp/a.db", "rel/x-y_z.db", "C:/x", "a@b%c+d=e,f"]) expect(shellWord(safe)).toBe(safe);
    expect(shellWord("a b")).toBe("'a b'");
    expect(shellWord("$HOME/x")).toBe("'$HOME/x'");
    expect(shellWord("*.db")).toBe("'*.db'");
    expect(shellWord("")).toBe("''");
  });
});
