import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRegularFile, utf8Text } from "../../src/config/text-file.js";

// readRegularFile returns a regular file's bytes, and for anything else the reason,
// without blocking: a FIFO with no writer is answered at once.

describe("readRegularFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "vesper-text-file-"));

  it("reads a regular file, including an empty one", () => {
    const file = join(dir, "a.txt");
    writeFileSync(file, "héllo\r\n");
    expect(readRegularFile(file)).toEqual({ ok: true, bytes: Buffer.from("héllo\r\n") });
    writeFileSync(join(dir, "empty"), "");
    expect(readRegularFile(join(dir, "empty"))).toEqual({ ok: true, bytes: Buffer.alloc(0) });
  });

  it("names what is not a regular file", () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(readRegularFile(fifo)).toEqual({ ok: false, reason: "it is a named pipe (FIFO), not a regular file" });
    expect(readRegularFile("/dev/zero")).toEqual({ ok: false, reason: "it is a device, not a regular file" });
    expect(readRegularFile(dir)).toEqual({ ok: false, reason: "it is a folder" });
    expect(readRegularFile(join(dir, "missing"))).toEqual({ ok: false, reason: "no such file" });
    expect(readRegularFile(join(dir, "a.txt", "below"))).toEqual({
      ok: false,
      reason: "a part of its path is a file, not a folder",
    });
  });

  it("utf8Text refuses bytes that are not UTF-8 and keeps a BOM-less text as it is", () => {
    expect(utf8Text(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toEqual({
      ok: false,
      reason: "it is not UTF-8 text (a binary, or another encoding?)",
    });
    expect(utf8Text(Buffer.from("a\u200fb\u2028"))).toEqual({ ok: true, text: "a\u200fb\u2028" });
  });
});
