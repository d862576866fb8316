import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { distinctPrefixLength } from "../../tui/panes/replay/distinct-prefix.js";
import { traceListLines } from "../../tui/panes/replay/trace-list-view.js";
import type { TraceRow } from "../../src/workbench/index.js";

// The Replay pane's trace list names each trace by a prefix of its id. Trace ids of
// one process share their middle digits, so a fixed prefix could name two traces the
// same; the list uses the shortest length (at least 8) at which every id shown is
// distinct. Checked over random id sets, including ids that share long prefixes.

const hex = fc.constantFrom(..."0123456789abcdef".split(""));
const tail = fc.string({ unit: hex, minLength: 16, maxLength: 16 });
// Ids that mimic one process: a shared middle with the first digit and the rest varying.
const ids = fc.oneof(
  fc.array(
    tail.map((t) => `tr_${t}`),
    { minLength: 1, maxLength: 30 },
  ),
  fc
    .tuple(
      fc.string({ unit: hex, minLength: 8, maxLength: 8 }),
      fc.array(fc.tuple(hex, fc.string({ unit: hex, minLength: 7, maxLength: 7 })), { minLength: 1, maxLength: 30 }),
    )
    .map(([mid, rest]) => rest.map(([d, r]) => `tr_${d}${mid}${r}`)),
);

describe("trace ids in the Replay list", () => {
  it("get the shortest prefix length (at least 8) that tells every shown id apart", () => {
    fc.assert(
      fc.property(ids, (list) => {
        const n = distinctPrefixLength(list, 8);
        const distinct = new Set(list);
        expect(n).toBeGreaterThanOrEqual(8);
        expect(new Set([...distinct].map((id) => id.slice(0, n))).size).toBe(distinct.size);
        if (n > 8) expect(new Set([...distinct].map((id) => id.slice(0, n - 1))).size).toBeLessThan(distinct.size);
      }),
      { numRuns: 500 },
    );
  });

  it("are shown so in the list itself", () => {
    const row = (id: string): TraceRow =>
      ({
        id,
        status: "success",
        started_at: 0,
        node_id: "n@1",
        runtime: "reference",
        step_count: 1,
        parent_id: null,
        role: null,
      }) as unknown as TraceRow;
    const a = "tr_31234567800000a1";
    const b = "tr_31234567800000b1";
    const text = traceListLines({ traces: [row(a), row(b)], selected: 0, filter: "", limit: 100, width: 100, rows: 5 })
      .map((l) => l.map((s) => s.text).join(""))
      .join("\n");
    expect(text).toContain(a.slice(0, 18));
    expect(text).toContain(b.slice(0, 18));
  });
});
