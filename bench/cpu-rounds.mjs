// Measuring in CPU time, in alternating rounds, with the machine's load printed
// beside the figures. Wall time on a shared machine measures the neighbours; CPU
// time (process.cpuUsage: user + system, all of this process's threads, GC
// included) measures the work. Cases alternate round by round (A, B, A, B, …) so
// a change in the machine's state hits every case alike; each case reports the
// median of its rounds and their spread.
import { cpus, loadavg } from "node:os";

/** CPU microseconds this process has used. */
export function cpuUs() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** One line saying what else the machine was doing while the figures were taken. */
export function machineLoad() {
  const [one, five, fifteen] = loadavg().map((x) => x.toFixed(2));
  return `load average ${one} ${five} ${fifteen} on ${cpus().length} cores`;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Spread of a set of figures as (max − min) / median, in percent. */
export const spreadPct = (xs) => ((Math.max(...xs) - Math.min(...xs)) / median(xs)) * 100;

/**
 * Runs `fn` (sync or async) repeatedly until at least `roundUs` of CPU time has
 * passed; the CPU microseconds per call, a call counting as `weight` calls (one call
 * that makes 500 executions has weight 500). Calls go in batches so the clock is
 * read rarely.
 */
export async function cpuPerCall(fn, roundUs, weight = 1) {
  let calls = 0;
  let batch = weight > 1 ? 1 : 8;
  const start = cpuUs();
  let used = 0;
  while (used < roundUs) {
    for (let i = 0; i < batch; i++) {
      const r = fn(i);
      if (r instanceof Promise) await r;
    }
    calls += batch;
    used = cpuUs() - start;
    if (batch < 1024) batch *= 2;
  }
  return used / (calls * weight);
}

/**
 * Alternating rounds: in each round every case runs for `roundMs` of CPU time, in
 * order, after one uncounted warm-up round. `cases` is `{ name: fn }` or
 * `{ name: { fn, weight } }`; the result maps each name to its per-call CPU
 * microseconds in every round, plus the median and spread.
 */
export async function alternate(cases, { rounds = 7, roundMs = 150, warmupMs = roundMs } = {}) {
  const names = Object.keys(cases);
  const per = Object.fromEntries(names.map((n) => [n, []]));
  // One round first, not counted: the JIT compiles every case before any is measured.
  const fn = (n) => cases[n].fn ?? cases[n];
  const weight = (n) => cases[n].weight ?? 1;
  for (const n of names) await cpuPerCall(fn(n), warmupMs * 1000, weight(n));
  for (let r = 0; r < rounds; r++) {
    for (const n of names) per[n].push(await cpuPerCall(fn(n), roundMs * 1000, weight(n)));
  }
  return Object.fromEntries(
    names.map((n) => [n, { rounds: per[n], medianUs: median(per[n]), spreadPct: spreadPct(per[n]) }]),
  );
}

/** A figure in µs with its spread, e.g. "12.30 µs ±4%". */
export const fmt = (m) => `${m.medianUs.toFixed(2).padStart(8)} µs ±${m.spreadPct.toFixed(0).padStart(2)}%`;
