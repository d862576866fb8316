import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES } from "../../src/ir/diagnostics.js";
import { cli } from "../helpers/cli.js";

const examples = readdirSync("examples")
  .filter((f) => f.endsWith(".vsp"))
  .map((f) => `examples/${f}`);
const invalid = readdirSync("examples/invalid")
  .filter((f) => f.endsWith(".vsp"))
  .map((f) => `examples/invalid/${f}`);

/** Each invalid example states on its first line the diagnostic it must produce: `# expect: V305 at 14:9`. */
function expectation(file: string): { code: string; line: number; col: number } {
  const m = /^# expect: (V\d{3}) at (\d+):(\d+)/.exec(readFileSync(file, "utf8"));
  if (!m) throw new Error(`${file} has no '# expect: CODE at LINE:COL' header`);
  return { code: m[1]!, line: Number(m[2]), col: Number(m[3]) };
}

let invalidRun: ReturnType<typeof cli> | undefined;
/** `vesper validate` over every invalid example at once, run the first time it is asked for. */
const allInvalid = () => (invalidRun ??= cli("vesper", ["validate", ...invalid]));

/** The lines of `stderr` about `file`: from its first diagnostic to the next file's (or the end). */
function blockOf(stderr: string, file: string): string {
  const lines = stderr.split("\n");
  const isDiagnostic = (l: string) => /^\S+:\d+:\d+: (error|warning) [A-Z]\d{3}: /.test(l);
  const start = lines.findIndex((l) => l.startsWith(`${file}:`) && isDiagnostic(l));
  if (start < 0) return "";
  let end = start + 1;
  while (end < lines.length && !(isDiagnostic(lines[end]!) && !lines[end]!.startsWith(`${file}:`))) end++;
  return lines.slice(start, end).join("\n");
}

describe("vesper validate on the bundled examples", () => {
  it("accepts every example and exits 0", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    const r = cli("vesper", ["validate", ...examples]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const file of examples) expect(r.stdout).toContain(`ok    ${file}`);
    expect(r.stdout).toContain(`${examples.length} files valid, 0 invalid`);
  });

  it.each(invalid)("rejects %s with exit 2 and the diagnostic its header names", (file) => {
    const { code, line, col } = expectation(file);
    // One run over every invalid example (a process each cost seconds of the suite); each file's block is its own.
    const r = allInvalid();
    expect(r.status).toBe(2);
    const block = blockOf(r.stderr, file);
    const lines = block.split("\n").filter((l) => /^\S+:\d+:\d+: error V\d{3}: /.test(l));
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.]/g, "\\.")}:${line}:${col}: error ${code}: \\S`));
    // The offending line is printed under the message with a caret.
    const sourceLine = readFileSync(file, "utf8").split("\n")[line - 1]!;
    expect(block).toContain(`${line} | ${sourceLine}`);
    expect(block).toMatch(/\|\s*\^/);
    expect(r.stdout).toContain(`FAIL  ${file}`);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // never a stack trace
  });

  it("has an invalid example for every diagnostic a file can produce", () => {
    const covered = new Set(invalid.map((f) => expectation(f).code));
    // V001 is about the file system (tested below), not a file's content.
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => c !== "V001" && !covered.has(c));
    expect(missing).toEqual([]);
  });

  it("reports several problems in one file, all of them, sorted by position", () => {
    const r = cli("vesper", ["validate", "--json", ...invalid]);
    expect(r.status).toBe(2);
    const diagnostics = JSON.parse(r.stdout) as {
      file: string;
      line: number;
      col: number;
      code: string;
      message: string;
      severity: string;
    }[];
    expect(diagnostics).toHaveLength(invalid.length);
    for (const d of diagnostics) {
      expect(d).toMatchObject({ severity: "error", code: expect.stringMatching(/^V\d{3}$/) });
      expect(d.line).toBeGreaterThan(0);
      expect(d.col).toBeGreaterThan(0);
    }
  });

  it("prints an empty JSON array and exits 0 for valid files with --json", () => {
    const r = cli("vesper", ["validate", "--json", examples[0]!]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
