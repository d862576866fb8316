import { hostname } from "node:os";

// Whether a `running` trace still has a writer: liveness by lease, not by host name.
// The writer renews the trace's heartbeat at every batch it commits and at least
// every HEARTBEAT_MS; a trace is abandoned only when its heartbeat (or, for a trace
// recorded before heartbeats, its start) is more than LEASE_MS old. The one faster
// answer: a writer on this host whose process no longer exists is gone now (a
// SIGKILLed run is marked incomplete at the next open, not a minute later). A writer
// on another host is never judged by its pid, which means nothing here.

/** How often a writer renews its heartbeat while its trace is running. */
export const HEARTBEAT_MS = 5_000;
/** A running trace whose heartbeat is older than this is abandoned (12 missed heartbeats). */
export const LEASE_MS = 60_000;

export interface WriterLease {
  status: string;
  started_at: number;
  heartbeat_at?: number | null;
  writer_pid: number | null;
  writer_host: string | null;
}

/** The host name a writer records; VEYRA_WRITER_HOST stands in for it in tests of shared stores. */
export function writerHost(): string {
  return process.env.VEYRA_WRITER_HOST || (thisHost ??= hostname());
}

/** os.hostname() asks the kernel each time; a process's host does not change under it. */
let thisHost: string | undefined;

/** Whether a trace left `running` has no writer any more (false for any other status). */
export function isAbandoned(t: WriterLease, now = Date.now(), host = writerHost()): boolean {
  if (t.status !== "running") return false;
  const renewed = t.heartbeat_at ?? t.started_at;
  if (now - renewed > LEASE_MS) return true;
  return t.writer_host === host && t.writer_pid !== null && !processAlive(t.writer_pid);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
