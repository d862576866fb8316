import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from "node:fs";

// Reading a file the user named (a .vsp node, an --inputs @file, a config file)
// without ever blocking on it: the file is opened non-blocking and checked on the
// open descriptor, so a FIFO, /dev/zero, a socket or a folder is refused at once
// with a plain reason (never a hang, never an endless read), and a file swapped for
// one of those between a check and the read cannot slip through. Whoever asked
// wraps the reason in its own error (a V001 diagnostic, an input or config error).

export type FileRead = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export function readRegularFile(path: string): FileRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, reason: reasonFor(err) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: notRegular(stats) };
    return { ok: true, bytes: readFileSync(fd) };
  } catch (err) {
    return { ok: false, reason: reasonFor(err) };
  } finally {
    closeSync(fd);
  }
}

/** The file's text when it is UTF-8, else where it stops being UTF-8. */
export function utf8Text(bytes: Buffer): { ok: true; text: string } | { ok: false; reason: string } {
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: "it is not UTF-8 text (a binary, or another encoding?)" };
  }
}

function notRegular(stats: Stats): string {
  if (stats.isDirectory()) return "it is a folder";
  if (stats.isFIFO()) return "it is a named pipe (FIFO), not a regular file";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "it is a device, not a regular file";
  if (stats.isSocket()) return "it is a socket, not a regular file";
  return "it is not a regular file";
}

function reasonFor(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "too many levels of symbolic links (a loop?)";
    case "ENOTDIR":
      return "a part of its path is a file, not a folder";
    case "ENAMETOOLONG":
      return "the path is too long";
    case "ENXIO":
      return "it is a socket or a device that cannot be read";
    default:
      return (err as Error).message;
  }
}
