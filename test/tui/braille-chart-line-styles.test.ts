import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { legendLines } from "../../tui/components/braille-chart.js";
import {
  type ChartSeries,
  cellOf,
  dotBit,
  type LineStyle,
  rasterize,
  scaleFor,
} from "../../tui/components/braille-raster.js";
import { cells } from "../../tui/components/text.js";

// Line styles tell a chart's series apart without colour: dotted and sparse lines
// set fewer dots than solid ones along the same line, yet every data point of any
// style still lands on its own dot (reading the chart still reads the data). The
// legend packs its items into lines of the chart's width without splitting one.

const dots = (bits: number[][]) => bits.flat().reduce((n, b) => n + b.toString(2).split("1").length - 1, 0);

describe("the braille chart's line styles", () => {
  const diagonal: ChartSeries = {
    name: "d",
    points: [
      [0, 0],
      [100, 100],
    ],
  };
  it("a solid line sets every dot of its path, dotted about half, sparse about a quarter", () => {
    const scale = scaleFor([diagonal], 20, 5);
    const n = (style: LineStyle) => dots(rasterize([{ ...diagonal, style }], scale).bits);
    expect(n("solid")).toBe(40);
    expect(n("dotted")).toBeGreaterThanOrEqual(20);
    expect(n("dotted")).toBeLessThanOrEqual(22);
    expect(n("sparse")).toBeGreaterThanOrEqual(10);
    expect(n("sparse")).toBeLessThanOrEqual(12);
  });

  it("keeps every data point on its dot, whatever the style (property)", () => {
    fc.assert(
      fc.property(
        // Every finite y: denormals, flat series and values near the largest double included.
        fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.constantFrom<LineStyle>("solid", "dotted", "sparse"),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (raw, style, cols, rows) => {
          const points = [...raw].sort((a, b) => a[0] - b[0]).map(([x, y]) => [x, y] as const);
          const s: ChartSeries = { name: "p", points, style };
          const scale = scaleFor([s], cols, rows);
          const r = rasterize([s], scale);
          for (const [x, y] of points) {
            const c = cellOf(x, y, scale)!;
            expect(r.bits[c.row]![c.col]! & dotBit(c.dx, c.dy)).toBeTruthy();
          }
        },
      ),
    );
  });

  it("packs legend items into lines no wider than the chart, never splitting an item that fits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 8 }),
        fc.integer({ min: 12, max: 80 }),
        (items, width) => {
          const lines = legendLines(items, width);
          for (const l of lines) expect(cells(l)).toBeLessThanOrEqual(width);
          for (const item of items) expect(lines.some((l) => l.includes(item))).toBe(true);
        },
      ),
    );
  });
});
