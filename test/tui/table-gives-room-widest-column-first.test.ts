import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Column, columnWidths } from "../../tui/components/table.js";
import { cells } from "../../tui/components/text.js";

// columnWidths over random tables and widths: nothing grows past its natural width,
// a table that fits keeps its natural widths, a table whose floors fit keeps every
// column at or above its floor and fits, and the shrinkable columns are narrowed
// widest first (water-filling): no shrinkable column keeps more than one cell of room
// above its floor over one that was narrowed. The runs list's ids stay whole this way
// while its long seeds column gives way.

const word = fc.string({ minLength: 0, maxLength: 40, unit: fc.constantFrom("a", "b", "_", "1", " ", "é") });
const table = fc.integer({ min: 1, max: 7 }).chain((n) =>
  fc.record({
    columns: fc.array(
      fc.record({
        header: fc.string({ minLength: 1, maxLength: 10, unit: fc.constantFrom("h", "x", " ") }),
        shrink: fc.option(fc.boolean(), { nil: undefined }),
        min: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
      }),
      { minLength: n, maxLength: n },
    ),
    rows: fc.array(fc.array(word, { minLength: n, maxLength: n }), { maxLength: 6 }),
    width: fc.integer({ min: 10, max: 220 }),
  }),
);

describe("a table's column widths", () => {
  it("fit, keep floors when they can, and narrow the widest shrinkable column first", () => {
    fc.assert(
      fc.property(table, ({ columns, rows, width }) => {
        const cols = columns as Column[];
        const w = columnWidths(cols, rows, width);
        const natural = cols.map((c, i) => Math.max(cells(c.header), ...rows.map((r) => cells(r[i] ?? ""))));
        const floors = cols.map((c) => Math.min(natural[cols.indexOf(c)]!, c.min ?? Math.min(12, cells(c.header))));
        const shrinkable = cols.map((c, i) => c.shrink ?? i === 0);
        const total = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + ws.length - 1;
        w.forEach((x, i) => {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(natural[i]!);
        });
        if (total(natural) <= width) {
          expect(w).toEqual(natural);
          return;
        }
        const floorsFit = total(natural.map((n, i) => (shrinkable[i] ? floors[i]! : n))) <= width;
        if (floorsFit) {
          expect(total(w)).toBeLessThanOrEqual(width);
          w.forEach((x, i) => expect(x).toBeGreaterThanOrEqual(shrinkable[i] ? floors[i]! : natural[i]!));
          const room = w.map((x, i) => x - floors[i]!);
          for (let i = 0; i < w.length; i++) {
            if (!shrinkable[i] || w[i] === natural[i]) continue;
            for (let j = 0; j < w.length; j++) {
              if (shrinkable[j]) expect(room[j]!).toBeLessThanOrEqual(room[i]! + 1);
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a run id whole in the Seeds runs list at 120 columns while the seeds column gives way", () => {
    const columns: Column[] = [
      { header: " ", min: 1 },
      { header: "run", shrink: true, min: 10 },
      { header: "status", shrink: true, min: 7 },
      { header: "seeds", shrink: true, min: 5 },
    ];
    const row = ["✓", "sr_f16d625b80c151c1", "finished", "seed-1 ROLLED_BACK, seed-2 FOSSILIZED, ".repeat(4)];
    const [, run, status, seeds] = columnWidths(columns, [row], 120);
    expect(run).toBe(19);
    expect(status).toBe(8);
    expect(seeds).toBe(120 - 1 - 19 - 8 - 3);
  });
});
