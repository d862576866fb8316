// The braille line chart's raster, as pure functions (braille-chart.tsx only draws
// it). A chart of `cols` × `rows` cells has 2 × 4 dots per cell (Unicode braille,
// U+2800 plus one bit per dot), so (2·cols) × (4·rows) dots. Each series is scaled
// into that dot grid by the same x and y ranges, its points joined by straight
// dot lines (Bresenham), and every cell remembers the last series that set a dot
// in it (its colour). Invariant: a point (x, y) always lands on the dot that
// dotOf(x, y) names, so reading the chart reads the data. With log-y, y values
// at or below zero cannot be placed and are left out (counted in `skipped`).
// A series' style tells it apart without colour: "solid" sets every dot of its
// lines, "dotted" every 2nd, "sparse" every 4th; its data points are always set.

export type LineStyle = "solid" | "dotted" | "sparse";

/** How often a style sets a dot along a line (1: every dot). */
export const STYLE_EVERY: Record<LineStyle, number> = { solid: 1, dotted: 2, sparse: 4 };

/** A short sample of each style as it looks in a row of cells (for a legend). */
export const STYLE_SAMPLE: Record<LineStyle, string> = { solid: "⠒⠒", dotted: "⠂⠂", sparse: "⠂⠀" };

/** One line of the chart: (x, y) points in x order. */
export interface ChartSeries {
  name: string;
  points: readonly (readonly [number, number])[];
  /** Default "solid". */
  style?: LineStyle;
}

export interface Scale {
  cols: number;
  rows: number;
  xMin: number;
  xMax: number;
  /** In log10 units when logY. */
  yMin: number;
  yMax: number;
  logY: boolean;
}

export interface Raster {
  scale: Scale;
  /** Per cell (row-major, row 0 at the top): the braille dot bits set. */
  bits: number[][];
  /** Per cell: the index of the last series that set a dot there, or -1. */
  owner: number[][];
  /** Points left out: non-finite, or y ≤ 0 under log-y. */
  skipped: number;
}

/** Bit of the dot at column dx (0–1) and row dy (0–3, top first) of a cell. */
const DOT_BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
] as const;

export function dotBit(dx: number, dy: number): number {
  return DOT_BITS[dx]![dy]!;
}

/** The braille character with these dot bits (U+2800 is the empty cell). */
export function brailleChar(bits: number): string {
  return String.fromCharCode(0x2800 + bits);
}

/** Exponential moving average, TensorBoard's smoothing: weight 0 is the raw series, near 1 very smooth. Debiased, so the start does not lean towards 0. */
export function ema(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return [...values];
  const out: number[] = [];
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      out.push(v);
      continue;
    }
    s = weight * s + (1 - weight) * v;
    n++;
    out.push(s / (1 - weight ** n));
  }
  return out;
}

/** A series' points with their y values smoothed by ema(). */
export function smoothSeries(series: ChartSeries, weight: number): ChartSeries {
  const ys = ema(
    series.points.map(([, y]) => y),
    weight,
  );
  return { ...series, points: series.points.map(([x], i) => [x, ys[i]!] as const) };
}

function usable(y: number, logY: boolean): boolean {
  return Number.isFinite(y) && (!logY || y > 0);
}

/** The ranges that hold every usable point (a flat range is widened so it has height). */
export function scaleFor(
  series: readonly ChartSeries[],
  cols: number,
  rows: number,
  options: { logY?: boolean; xRange?: [number, number]; yRange?: [number, number] } = {},
): Scale {
  const logY = options.logY ?? false;
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !usable(y, logY)) continue;
      const v = logY ? Math.log10(y) : y;
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      yMin = Math.min(yMin, v);
      yMax = Math.max(yMax, v);
    }
  }
  if (options.xRange) [xMin, xMax] = options.xRange;
  if (options.yRange) [yMin, yMax] = options.yRange.map((v) => (logY ? Math.log10(v) : v)) as [number, number];
  if (!Number.isFinite(xMin)) [xMin, xMax] = [0, 1];
  if (!Number.isFinite(yMin)) [yMin, yMax] = [0, 1];
  [xMin, xMax] = widened(xMin, xMax);
  [yMin, yMax] = widened(yMin, yMax);
  return { cols, rows, xMin, xMax, yMin, yMax, logY };
}

/**
 * A range with room in it: a flat one (one value, or every value equal) is widened
 * by a tenth of its value each way, or by 1 where a tenth does not move it (zero, a
 * denormal, 1e20 + 1 = 1e20), or towards zero where either would overflow.
 */
function widened(lo: number, hi: number): [number, number] {
  if (hi > lo) return [lo, hi];
  const pad = Math.abs(lo) * 0.1;
  for (const [a, b] of [[lo - pad, hi + pad], [lo - 1, hi + 1], lo > 0 ? [lo * 0.9, hi] : [lo, hi * 0.9]] as const)
    if (b > a && Number.isFinite(a) && Number.isFinite(b)) return [a, b];
  return [lo - 1, hi + 1];
}

/** Where `v` lies between `lo` and `hi`, 0 to 1; in halves when the range is wider than the largest double. */
function fraction(v: number, lo: number, hi: number): number {
  const width = hi - lo;
  return Number.isFinite(width) ? (v - lo) / width : (v / 2 - lo / 2) / (hi / 2 - lo / 2);
}

/** The dot (column from the left, row from the top) of a point, or null when it cannot be placed or lies outside the ranges. */
export function dotOf(x: number, y: number, scale: Scale): { dotX: number; dotY: number } | null {
  if (!Number.isFinite(x) || !usable(y, scale.logY)) return null;
  const v = scale.logY ? Math.log10(y) : y;
  if (x < scale.xMin || x > scale.xMax || v < scale.yMin || v > scale.yMax) return null;
  const w = scale.cols * 2 - 1;
  const h = scale.rows * 4 - 1;
  const dotX = Math.round(fraction(x, scale.xMin, scale.xMax) * w);
  const dotY = h - Math.round(fraction(v, scale.yMin, scale.yMax) * h);
  return { dotX, dotY };
}

/** The cell and the dot inside it where a point lands. */
export function cellOf(
  x: number,
  y: number,
  scale: Scale,
): { col: number; row: number; dx: number; dy: number } | null {
  const d = dotOf(x, y, scale);
  if (!d) return null;
  return { col: Math.floor(d.dotX / 2), row: Math.floor(d.dotY / 4), dx: d.dotX % 2, dy: d.dotY % 4 };
}

export function rasterize(series: readonly ChartSeries[], scale: Scale): Raster {
  const bits = Array.from({ length: scale.rows }, () => new Array<number>(scale.cols).fill(0));
  const owner = Array.from({ length: scale.rows }, () => new Array<number>(scale.cols).fill(-1));
  let skipped = 0;
  const set = (dotX: number, dotY: number, s: number) => {
    const col = dotX >> 1;
    const row = dotY >> 2;
    if (row < 0 || row >= scale.rows || col < 0 || col >= scale.cols) return;
    bits[row]![col]! |= dotBit(dotX & 1, dotY & 3);
    owner[row]![col] = s;
  };
  series.forEach((s, index) => {
    const every = STYLE_EVERY[s.style ?? "solid"];
    let along = 0;
    let prev: { dotX: number; dotY: number } | null = null;
    for (const [x, y] of s.points) {
      const d = dotOf(x, y, scale);
      if (!d) {
        skipped++;
        prev = null;
        continue;
      }
      if (prev)
        line(prev, d, (px, py) => {
          if (along++ % every === 0) set(px, py, index);
        });
      set(d.dotX, d.dotY, index);
      prev = d;
    }
  });
  return { scale, bits, owner, skipped };
}

/** Every dot on the straight line from a to b, both ends included (Bresenham). */
function line(
  a: { dotX: number; dotY: number },
  b: { dotX: number; dotY: number },
  plot: (x: number, y: number) => void,
): void {
  let x = a.dotX;
  let y = a.dotY;
  const dx = Math.abs(b.dotX - x);
  const dy = -Math.abs(b.dotY - y);
  const sx = x < b.dotX ? 1 : -1;
  const sy = y < b.dotY ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    plot(x, y);
    if (x === b.dotX && y === b.dotY) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

/** A tick label: short, 4 significant digits at most (1.5k, 0.0031, 2.5e-7). */
export function tickLabel(value: number): string {
  if (value === 0) return "0";
  const a = Math.abs(value);
  if (a >= 1e6 || a < 1e-3) return value.toExponential(1).replace("e+", "e");
  if (a >= 1e4) return `${(value / 1e3).toFixed(a >= 1e5 ? 0 : 1)}k`;
  return String(Number(value.toPrecision(3)));
}

/** The y labels for rows top to bottom: the top row (the range's top), the middle row (its centre) and the bottom row (the range's bottom) carry one, as values, not logs. */
export function yLabels(scale: Scale): string[] {
  const at = (frac: number) => {
    const v = scale.yMin + (scale.yMax - scale.yMin) * frac;
    return tickLabel(scale.logY ? 10 ** v : v);
  };
  const labels = new Array<string>(scale.rows).fill("");
  labels[0] = at(1);
  if (scale.rows > 2) {
    const mid = Math.floor((scale.rows - 1) / 2);
    labels[mid] = at(1 - (mid * 4 + 1.5) / (scale.rows * 4 - 1));
  }
  if (scale.rows > 1) labels[scale.rows - 1] = at(0);
  return labels;
}
