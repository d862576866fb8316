// A braille line chart (2 × 4 dots per cell, several series, EMA smoothing, log-y,
// axis labels): the raster comes from braille-raster.ts; this component only lays
// it out. `width` × `height` cells hold everything: y labels on the left, the plot,
// the x range below, the legend last (wrapped onto as many lines as it needs, the
// plot giving up rows); on a short chart the legend goes first, the title last. Without colour the series are told apart by their line
// styles (solid, dotted, sparse: the legend shows a sample of each) or, for series
// without a style, the legend's symbols, and the first series is drawn bold.

import { Box, Text, Transform } from "ink";
import { useMemo } from "react";
import {
  brailleChar,
  type ChartSeries,
  rasterize,
  STYLE_SAMPLE,
  scaleFor,
  smoothSeries,
  tickLabel,
  yLabels,
} from "./braille-raster.js";
import { cells, truncateWords } from "./text.js";

export const SERIES_COLOURS = ["cyan", "magenta", "yellow", "green", "blue", "red"] as const;
const SYMBOLS = ["●", "○", "■", "□", "▲", "△"];

export interface BrailleChartProps {
  series: readonly ChartSeries[];
  width: number;
  height: number;
  color: boolean;
  /** EMA weight, 0 (raw) to below 1. */
  smoothing?: number;
  logY?: boolean;
  title?: string;
  /** Per series (by index), a colour instead of the palette's. */
  colours?: readonly (string | undefined)[];
}

/** The legend's items packed into lines of at most `width` cells (an item is never split). */
export function legendLines(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines[lines.length - 1];
    if (last !== undefined && cells(`${last}  ${item}`) <= width) lines[lines.length - 1] = `${last}  ${item}`;
    else lines.push(truncateWords(item, width));
  }
  return lines;
}

export function BrailleChart({
  series,
  width,
  height,
  color,
  smoothing = 0,
  logY = false,
  title,
  colours,
}: BrailleChartProps) {
  const plotted = useMemo(
    () => (smoothing > 0 ? series.map((s) => smoothSeries(s, smoothing)) : series),
    [series, smoothing],
  );
  const legendItems = series
    .map((s, i) => `${s.style ? STYLE_SAMPLE[s.style] : SYMBOLS[i % SYMBOLS.length]} ${s.name}`)
    .concat(logY ? ["log y"] : [], smoothing > 0 ? [`EMA ${smoothing}`] : []);
  const labelWidth = 7;
  const cols = Math.max(1, width - labelWidth - 1);
  const draft = legendLines(legendItems, width);
  const fit = chartRows(height, !!title, draft.length);
  const rows = fit.plot;
  const raster = useMemo(() => {
    const scale = scaleFor(plotted, cols, Math.max(1, rows), { logY });
    return rasterize(plotted, scale);
  }, [plotted, cols, rows, logY]);
  const legend = legendLines(
    legendItems.concat(raster.skipped > 0 ? [`${raster.skipped} not plotted`] : []),
    width,
  ).slice(0, fit.legend);
  const labels = useMemo(() => yLabels(raster.scale), [raster]);
  const { xMin, xMax } = raster.scale;
  const xAxis = `${tickLabel(xMin)}`.padEnd(cols - tickLabel(xMax).length) + tickLabel(xMax);
  const plot = useMemo(
    () =>
      raster.bits.map((row, r) => {
        const label = `${labels[r]!.padStart(labelWidth - 1).slice(-(labelWidth - 1))} `;
        const cellsText = runs(row, raster.owner[r]!)
          .map((run) =>
            styled(run.text, {
              colour:
                color && run.owner >= 0
                  ? (colours?.[run.owner] ?? SERIES_COLOURS[run.owner % SERIES_COLOURS.length])
                  : undefined,
              bold: !color && run.owner === 0,
            }),
          )
          .join("");
        return `${styled(label, { dim: color })}│${cellsText}`;
      }),
    [raster, labels, color, colours],
  );
  return (
    <Box flexDirection="column" width={width} height={height}>
      {fit.title ? <Text bold>{truncateWords(title!, width)}</Text> : null}
      {/* The plot: Ink lays out and measures a block of spaces of the plot's size
          (ASCII, the same every frame, so its layout is cached), and the transform
          puts each row's labels and braille cells in its place as it is written:
          measuring braille is what made the charts the costliest part of a frame. */}
      {rows > 0 ? (
        <Transform transform={(line, index) => plot[index] ?? line}>
          <Text>{blank(width, rows)}</Text>
        </Transform>
      ) : null}
      {fit.axis ? <Text dimColor={color}>{`${" ".repeat(labelWidth)}${xAxis.slice(0, cols)}`}</Text> : null}
      {legend.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positions
        <Text key={`legend${i}`}>{l}</Text>
      ))}
    </Box>
  );
}

/**
 * How `height` rows are shared, so the parts always add up to at most `height` (Ink
 * cut the title off, and drew the x range over the legend, when they did not): the
 * title first, then one plot row, the x range, the legend (at most a third of the
 * chart, and the first to give up rows), and the plot takes the rest.
 */
export function chartRows(
  height: number,
  hasTitle: boolean,
  legendLines: number,
): { title: boolean; plot: number; axis: boolean; legend: number } {
  let left = Math.max(0, height);
  const title = hasTitle && left > 0;
  if (title) left--;
  const firstPlotRow = Math.min(1, left);
  left -= firstPlotRow;
  const axis = left > 0;
  if (axis) left--;
  const legend = Math.min(legendLines, Math.max(1, Math.floor(height / 3)), left);
  return { title, plot: firstPlotRow + left - legend, axis, legend };
}

/** `rows` lines of `width` spaces (the plot's stand-in for layout). */
function blank(width: number, rows: number): string {
  return Array.from({ length: rows }, () => " ".repeat(width)).join("\n");
}

/** SGR codes of the palette's colours (foreground; 39 ends any of them). */
const SGR_COLOUR: Record<string, number> = {
  black: 30,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  gray: 90,
  grey: 90,
};

/** `text` in a colour, dim or bold, as the escape codes Ink's own <Text> would write around it. */
export function styled(text: string, style: { colour?: string; dim?: boolean; bold?: boolean }): string {
  let out = text;
  const code = style.colour === undefined ? undefined : SGR_COLOUR[style.colour];
  if (code !== undefined) out = `\u001b[${code}m${out}\u001b[39m`;
  if (style.bold) out = `\u001b[1m${out}\u001b[22m`;
  if (style.dim) out = `\u001b[2m${out}\u001b[22m`;
  return out;
}

/**
 * A row of cells as runs of one owner, so each run is styled once, without its trailing blanks. An empty cell is
 * an ASCII space, not the blank braille character: it looks the same, and the
 * terminal renderer measures ASCII at a fraction of the cost (a chart is mostly empty).
 */
function runs(bits: number[], owner: number[]): { start: number; owner: number; text: string }[] {
  const out: { start: number; owner: number; text: string }[] = [];
  for (let c = 0; c < bits.length; c++) {
    const o = bits[c] === 0 ? -1 : owner[c]!;
    const ch = bits[c] === 0 ? " " : brailleChar(bits[c]!);
    const last = out[out.length - 1];
    if (last && last.owner === o) last.text += ch;
    else out.push({ start: c, owner: o, text: ch });
  }
  // Trailing blanks are left out: the cells past the last dot are blank anyway, and
  // every character written is tokenized again each frame.
  if (out.length > 0 && out[out.length - 1]!.owner === -1) out.pop();
  return out;
}
