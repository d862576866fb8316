import { describe, expect, it } from "vitest";
import { FAILED_STATUSES } from "../../src/workbench/traces.js";
import { parseTraceFilter } from "../../tui/panes/replay/trace-filter.js";

// The Replay pane's filter line read into listRecordedTraces' options: node: and free
// words as text the node must contain, status: (or `failed`), since:/until: dates; a
// bad term is refused with what to type instead. What the options select is the
// workbench's (test/unit/workbench/list-traces-filters-in-the-store.test.ts).

describe("the replay pane's trace filter", () => {
  it("sends node: and free words to the store as text the node id or file contains", () => {
    expect(parseTraceFilter("node:PAYMENT examples")).toEqual({ nodeContains: ["PAYMENT", "examples"] });
    expect(parseTraceFilter("  ")).toEqual({});
  });

  it("status:failed asks for every status but success and running; one status for itself", () => {
    expect(parseTraceFilter("status:failed").statuses).toEqual(FAILED_STATUSES);
    expect(FAILED_STATUSES).toEqual(["error", "contract_violation", "runtime_error", "incomplete"]);
    expect(parseTraceFilter("status:Runtime_Error").statuses).toEqual(["runtime_error"]);
  });

  it("since is inclusive from midnight UTC, until takes the whole day; a date-time is UTC unless it says", () => {
    expect(parseTraceFilter("since:2026-11-02 until:2026-11-02")).toEqual({
      since: Date.UTC(2026, 10, 2),
      until: Date.UTC(2026, 10, 3),
    });
    expect(parseTraceFilter("until:2026-11-02T09:30").until).toBe(Date.UTC(2026, 10, 2, 9, 30));
    expect(parseTraceFilter("since:2026-11-02T09:30+01:00").since).toBe(Date.UTC(2026, 10, 2, 8, 30));
  });

  it("refuses a bad status or date, saying what to type", () => {
    expect(() => parseTraceFilter("status:broken")).toThrow(/status 'broken' is not one of .*runtime_error.*failed/);
    expect(() => parseTraceFilter("since:yesterday")).toThrow(/'since:yesterday' needs a date such as 2026-11-01/);
    expect(() => parseTraceFilter("until:2026-02-30")).toThrow(/'until:2026-02-30' needs a date/);
    expect(() => parseTraceFilter("node:")).toThrow(/'node:' needs a value/);
  });
});
