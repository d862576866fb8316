import { describe, expect, it } from "vitest";
import type { TraceRow } from "../../src/workbench/index.js";
import { matchesTrace, onlyStatus, parseTraceFilter } from "../../tui/panes/replay/trace-filter.js";

// The Replay pane's filter line: node:, status: (or `failed`), since:/until: dates,
// free words matching the node; a bad term is refused with what to type instead.

const row = (over: Partial<TraceRow>): TraceRow =>
  ({
    id: "tr_1",
    node_id: "payments.process_payment@1.0.0",
    node_file: "examples/payment.vsp",
    status: "success",
    started_at: Date.UTC(2026, 10, 2, 12),
    ...over,
  }) as TraceRow;

describe("the replay pane's trace filter", () => {
  it("matches node and free words against the node id and file, in any case", () => {
    const f = parseTraceFilter("node:PAYMENT examples");
    expect(matchesTrace(f, row({}))).toBe(true);
    expect(matchesTrace(f, row({ node_id: "orders.total@1.0.0", node_file: "examples/order_total.vsp" }))).toBe(false);
  });

  it("status:failed means every status but success and running; one status goes to the store", () => {
    const f = parseTraceFilter("status:failed");
    expect(
      ["runtime_error", "contract_violation", "error", "incomplete"].every((s) => f.statuses!.includes(s as never)),
    ).toBe(true);
    expect(matchesTrace(f, row({ status: "success" }))).toBe(false);
    expect(onlyStatus(f)).toBeUndefined();
    expect(onlyStatus(parseTraceFilter("status:runtime_error"))).toBe("runtime_error");
  });

  it("since is inclusive from midnight UTC, until takes the whole day", () => {
    expect(matchesTrace(parseTraceFilter("since:2026-11-02"), row({}))).toBe(true);
    expect(matchesTrace(parseTraceFilter("since:2026-11-03"), row({}))).toBe(false);
    expect(matchesTrace(parseTraceFilter("until:2026-11-02"), row({}))).toBe(true);
    expect(matchesTrace(parseTraceFilter("until:2026-11-01"), row({}))).toBe(false);
  });

  it("refuses a bad status or date, saying what to type", () => {
    expect(() => parseTraceFilter("status:broken")).toThrow(/status 'broken' is not one of .*runtime_error.*failed/);
    expect(() => parseTraceFilter("since:yesterday")).toThrow(/'since:yesterday' needs a date such as 2026-11-01/);
    expect(() => parseTraceFilter("node:")).toThrow(/'node:' needs a value/);
  });
});
