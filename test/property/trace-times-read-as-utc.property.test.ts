import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { traceTimeOf } from "../../src/workbench/trace-terms.js";

// The dates `vesper traces list --since/--until` and the Replay filter read: any
// instant written as an ISO date-time (Z, an offset, or no zone at all, meaning UTC;
// T or a space) reads back as that instant; a date is its UTC midnight and, as an
// end, the next one; a date that no calendar has is refused, never rolled over.

const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) });
const offset = fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 });
const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");

describe("trace times", () => {
  it("an ISO date-time reads back as the instant it names, in any zone", () => {
    fc.assert(
      fc.property(instant, offset, fc.constantFrom("T", " "), (ms, minutes, sep) => {
        const iso = new Date(ms).toISOString(); // 2026-11-01T09:30:00.123Z
        expect(traceTimeOf(iso)).toBe(ms);
        expect(traceTimeOf(iso.slice(0, -1).replace("T", sep))).toBe(ms);
        const local = new Date(ms + minutes * 60_000).toISOString().slice(0, -1);
        const zone = `${minutes < 0 ? "-" : "+"}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
        expect(traceTimeOf(`${local}${zone}`)).toBe(ms);
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it("a date is its UTC midnight, and as an end the midnight after", () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const day = new Date(ms).toISOString().slice(0, 10);
        const midnight = Date.parse(`${day}T00:00:00Z`);
        expect(traceTimeOf(day)).toBe(midnight);
        expect(traceTimeOf(day, true)).toBe(midnight + 86_400_000);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it("a day past the end of its month is refused, not rolled into the next", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 9999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
        const date = (d: number) => `${pad(year, 4)}-${pad(month)}-${pad(d)}`;
        expect(traceTimeOf(date(last))).toBe(Date.UTC(year, month - 1, last));
        if (last < 31) expect(traceTimeOf(date(last + 1))).toBeUndefined();
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it.each([
    "yesterday",
    "2026-11",
    "2026-13-01",
    "2026-11-01T24:00",
    "2026-11-01T09:60",
    "2026-11-01T09:30+25:00",
    "2026-11-01Z",
    "1730000000000",
  ])("%s is not a date", (text) => expect(traceTimeOf(text)).toBeUndefined());
});
