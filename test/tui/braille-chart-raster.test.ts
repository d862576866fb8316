import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  brailleChar,
  cellOf,
  type ChartSeries,
  dotBit,
  ema,
  rasterize,
  scaleFor,
  yLabels,
} from "../../tui/components/braille-raster.js";

describe("the braille chart's raster", () => {
  it("maps each of the 8 dots of a cell to its own braille bit", () => {
    const bits = [0, 1].flatMap((dx) => [0, 1, 2, 3].map((dy) => dotBit(dx, dy)));
    expect(new Set(bits).size).toBe(8);
    expect(bits.reduce((a, b) => a | b, 0)).toBe(0xff);
    expect(brailleChar(0)).toBe("⠀");
    expect(brailleChar(0xff)).toBe("⣿");
    expect(brailleChar(dotBit(0, 0))).toBe("⠁");
    expect(brailleChar(dotBit(1, 3))).toBe("⢀");
  });

  it("puts the lowest-left point in the bottom-left dot and the highest-right in the top-right dot", () => {
    const s: ChartSeries = {
      name: "a",
      points: [
        [0, 0],
        [10, 5],
      ],
    };
    const scale = scaleFor([s], 10, 4);
    const r = rasterize([s], scale);
    expect(r.bits[3]![0]! & dotBit(0, 3)).toBeTruthy();
    expect(r.bits[0]![9]! & dotBit(1, 0)).toBeTruthy();
  });

  it("joins consecutive points with a line: every column between them has a dot", () => {
    const s: ChartSeries = {
      name: "a",
      points: [
        [0, 0],
        [1, 1],
      ],
    };
    const r = rasterize([s], scaleFor([s], 20, 5));
    for (let c = 0; c < 20; c++) expect(r.bits.some((row) => row[c] !== 0)).toBe(true);
  });

  it("every point of every series lands on the dot its coordinates say (property)", () => {
    const point = fc.tuple(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(point, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 40 }),
        (lists, cols, rows) => {
          const series = lists.map((points, i) => ({
            name: `s${i}`,
            points: [...points].sort((a, b) => a[0] - b[0]),
          }));
          const scale = scaleFor(series, cols, rows);
          const r = rasterize(series, scale);
          for (const s of series) {
            for (const [x, y] of s.points) {
              const c = cellOf(x, y, scale)!;
              expect(c).not.toBeNull();
              expect(c.col).toBeLessThan(cols);
              expect(c.row).toBeLessThan(rows);
              expect(r.bits[c.row]![c.col]! & dotBit(c.dx, c.dy)).not.toBe(0);
            }
          }
        },
      ),
    );
  });

  it("log-y places each decade at an even height and leaves out values at or below zero", () => {
    const s: ChartSeries = {
      name: "loss",
      points: [
        [0, 1000],
        [1, 100],
        [2, 10],
        [3, 1],
        [4, 0],
        [5, -3],
      ],
    };
    const scale = scaleFor([s], 40, 13, { logY: true });
    const r = rasterize([s], scale);
    expect(r.skipped).toBe(2);
    const rowsOf = [1000, 100, 10, 1].map((y, i) => cellOf(i, y, scale)!);
    // 52 dot rows, 3 decades: 17 dot rows per decade, evenly spaced.
    const dotRows = rowsOf.map((c) => c.row * 4 + c.dy);
    expect(dotRows).toEqual([0, 17, 34, 51]);
    expect(yLabels(scale)[0]).toBe("1000");
    expect(yLabels(scale)[12]).toBe("1");
  });

  it("EMA smoothing: weight 0 leaves the series alone, a constant stays constant, a step is approached gradually", () => {
    expect(ema([1, 5, 2], 0)).toEqual([1, 5, 2]);
    for (const v of ema([3, 3, 3, 3], 0.9)) expect(v).toBeCloseTo(3, 12);
    const step = ema([0, 0, 0, 10, 10, 10, 10], 0.6);
    expect(step[3]!).toBeGreaterThan(0);
    expect(step[3]!).toBeLessThan(10);
    for (let i = 4; i < step.length; i++) expect(step[i]!).toBeGreaterThan(step[i - 1]!);
  });

  it("a flat series or no points still gets a range with height", () => {
    const flat = scaleFor(
      [
        {
          name: "a",
          points: [
            [0, 2],
            [1, 2],
          ],
        },
      ],
      10,
      3,
    );
    expect(flat.yMax).toBeGreaterThan(flat.yMin);
    const none = scaleFor([], 10, 3);
    expect(none.xMax).toBeGreaterThan(none.xMin);
  });
});
