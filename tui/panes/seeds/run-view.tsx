// The open seed run: its header line, the seeds table, the loss and accuracy
// charts (braille, growing as epochs arrive; log-y on the loss chart, EMA on
// both) and the event log, scrolled `logBack` lines back from its newest line
// (0: the log follows the run). Laid out by layout.ts; draws only what it is given.

import { Box, Text } from "ink";
import { useMemo } from "react";
import type { SeedRunView } from "../../../src/workbench/index.js";
import { viewEntries } from "../../../src/workbench/index.js";
import { BrailleChart } from "../../components/braille-chart.js";
import { Table } from "../../components/table.js";
import { truncateWords } from "../../components/text.js";
import { runLayout } from "./layout.js";
import { logColour, logged, logLine, runHeader, SEED_COLUMNS, seedCells, seedColour } from "./rows.js";
import { accuracySeries, lossSeries } from "./series.js";

export interface RunViewProps {
  view: SeedRunView;
  width: number;
  height: number;
  color: boolean;
  logY: boolean;
  smoothing: number;
  /** Lines scrolled back from the newest event (0 follows the run). */
  logBack: number;
}

/** The event log's entries (what the pane scrolls through). */
export function logEntries(view: SeedRunView) {
  return viewEntries(view).filter(logged);
}

export function RunView({ view, width, height, color, logY, smoothing, logBack }: RunViewProps) {
  const layout = runLayout(width, height, view.seeds.length);
  const loss = useMemo(() => lossSeries(view.epochs), [view.epochs]);
  const accuracy = useMemo(() => accuracySeries(view.epochs), [view.epochs]);
  const entries = useMemo(() => logEntries(view), [view]);
  const shown = Math.max(0, layout.logRows - 1);
  const end = Math.max(0, entries.length - logBack);
  const lines = entries.slice(Math.max(0, end - shown), end);
  const status = view.run.status;
  const headColour = status === "running" ? "cyan" : status === "finished" ? "green" : "yellow";
  const logTitle =
    entries.length === 0
      ? "events: none yet"
      : logBack > 0
        ? `events ${end - lines.length + 1}–${end} of ${entries.length} (scrolled back; End follows)`
        : `events (${entries.length}, newest last)`;
  const charts = [
    <BrailleChart
      key="loss"
      title="loss"
      series={loss.series}
      colours={loss.colours}
      width={layout.chart.width}
      height={layout.chart.height}
      color={color}
      logY={logY}
      smoothing={smoothing}
    />,
    <BrailleChart
      key="accuracy"
      title="accuracy %"
      series={accuracy.series}
      colours={accuracy.colours}
      width={layout.chart.width}
      height={layout.chart.height}
      color={color}
      smoothing={smoothing}
    />,
  ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={color ? headColour : undefined}>
        {truncateWords(runHeader(view), width)}
      </Text>
      {view.seeds.length > 0 ? (
        <Table
          columns={SEED_COLUMNS}
          rows={view.seeds.map(seedCells)}
          width={width}
          height={layout.tableRows}
          color={color}
          rowColour={(i) => seedColour(view.seeds[i]!)}
        />
      ) : (
        <Box height={layout.tableRows} flexDirection="column">
          <Text bold>seeds</Text>
          <Text>{truncateWords("No seed germinated yet: the policy waits for a loss plateau.", width)}</Text>
        </Box>
      )}
      {layout.sideBySide ? (
        <Box flexDirection="row" height={layout.chart.height}>
          {charts[0]}
          <Box width={1} />
          {charts[1]}
        </Box>
      ) : (
        <Box flexDirection="column">{charts}</Box>
      )}
      <Box flexDirection="column" height={layout.logRows}>
        <Text bold underline={!color}>
          {truncateWords(logTitle, width)}
        </Text>
        {lines.map((e) => (
          <Text key={e.seq} color={color ? logColour(e) : undefined}>
            {truncateWords(logLine(e), width)}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
