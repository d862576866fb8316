// A braille line chart (2 × 4 dots per cell, several series, EMA smoothing, log-y,
// axis labels): the raster comes from braille-raster.ts; this component only lays
// it out. `width` × `height` cells hold everything: y labels on the left, the plot,
// the x range below, the legend last. Without colour the series are told apart by
// the legend's symbols and the first series is drawn bold.

import { Box, Text } from "ink";
import { useMemo } from "react";
import {
  brailleChar,
  type ChartSeries,
  rasterize,
  scaleFor,
  smoothSeries,
  tickLabel,
  yLabels,
} from "./braille-raster.js";
import { truncateWords } from "./text.js";

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
}

export function BrailleChart({ series, width, height, color, smoothing = 0, logY = false, title }: BrailleChartProps) {
  const plotted = useMemo(
    () => (smoothing > 0 ? series.map((s) => smoothSeries(s, smoothing)) : series),
    [series, smoothing],
  );
  const headerRows = title ? 1 : 0;
  const rows = Math.max(1, height - 2 - headerRows);
  const labelWidth = 7;
  const cols = Math.max(1, width - labelWidth - 1);
  const raster = useMemo(() => {
    const scale = scaleFor(plotted, cols, rows, { logY });
    return rasterize(plotted, scale);
  }, [plotted, cols, rows, logY]);
  const labels = yLabels(raster.scale);
  const { xMin, xMax } = raster.scale;
  const xAxis = `${tickLabel(xMin)}`.padEnd(cols - tickLabel(xMax).length) + tickLabel(xMax);
  const legend = series
    .map((s, i) => `${SYMBOLS[i % SYMBOLS.length]} ${s.name}`)
    .concat(logY ? ["log y"] : [], smoothing > 0 ? [`EMA ${smoothing}`] : [])
    .concat(raster.skipped > 0 ? [`${raster.skipped} not plotted`] : [])
    .join("  ");
  return (
    <Box flexDirection="column" width={width} height={height}>
      {title ? <Text bold>{truncateWords(title, width)}</Text> : null}
      {raster.bits.map((row, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions
        <Box key={r}>
          <Text dimColor={color}>{labels[r]!.padStart(labelWidth - 1).slice(-(labelWidth - 1))} </Text>
          <Text>│</Text>
          {runs(row, raster.owner[r]!).map((run) => (
            <Text
              key={run.start}
              color={color && run.owner >= 0 ? SERIES_COLOURS[run.owner % SERIES_COLOURS.length] : undefined}
              bold={!color && run.owner === 0}
            >
              {run.text}
            </Text>
          ))}
        </Box>
      ))}
      <Text dimColor={color}>{`${" ".repeat(labelWidth)}${xAxis.slice(0, cols)}`}</Text>
      <Text>{truncateWords(legend, width)}</Text>
    </Box>
  );
}

/** A row of cells as runs of one owner, so each run is one <Text>. */
function runs(bits: number[], owner: number[]): { start: number; owner: number; text: string }[] {
  const out: { start: number; owner: number; text: string }[] = [];
  for (let c = 0; c < bits.length; c++) {
    const o = bits[c] === 0 ? -1 : owner[c]!;
    const last = out[out.length - 1];
    if (last && last.owner === o) last.text += brailleChar(bits[c]!);
    else out.push({ start: c, owner: o, text: brailleChar(bits[c]!) });
  }
  return out;
}
