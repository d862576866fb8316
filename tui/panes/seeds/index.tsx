// Pane 4, Seeds: the store's seed runs (newest first: status, dataset, epochs done
// of planned, test accuracy against the baseline, the seeds' stages), and one run
// opened: its seeds table, loss and accuracy charts that grow as the run writes,
// and its event log. Enter opens the selected run, Esc goes back to the list;
// `--run ID` (props.target.run) opens one directly; with no target, the newest
// running run opens by itself, now or when one starts (until Esc or Enter says
// the user is choosing). Everything is read through the workbench (SeedRunsLive:
// read once, then followed), as `veyra seeds list/show/watch` read it.

import { Box, Text, useInput } from "ink";
import { useEffect, useRef, useState } from "react";
import { Table } from "../../components/table.js";
import { truncateWords, wrapWords } from "../../components/text.js";
import { useSeedRuns } from "../../hooks/use-seed-runs.js";
import type { KeyHint, PaneProps } from "../../pane.js";
import { RUN_COLUMNS, runCells } from "./rows.js";
import { logEntries, RunView } from "./run-view.js";
import { SMOOTHING } from "./series.js";

const LIST_KEYS: KeyHint[] = [
  { keys: "↑↓", does: "select" },
  { keys: "Enter", does: "open the run" },
];

const RUN_KEYS: KeyHint[] = [
  { keys: "Esc", does: "runs list" },
  { keys: "l", does: "log-y loss" },
  { keys: "s", does: "smoothing" },
  { keys: "↑↓", does: "scroll events" },
  { keys: "PgUp/PgDn", does: "scroll events a page" },
  { keys: "End", does: "follow the newest event" },
];

export function SeedsPane({ store, width, height, focused, color, target, setKeys }: PaneProps) {
  const runs = useSeedRuns(store);
  const [selected, setSelected] = useState(0);
  const [logY, setLogY] = useState(false);
  const [smoothing, setSmoothing] = useState(0);
  const [logBack, setLogBack] = useState(0);
  // Until the user chooses (Esc or Enter), the newest running run opens by itself.
  const [auto, setAuto] = useState(target.run === undefined);
  const { view, list, error, ready } = runs;

  // A run asked for (--run, or another pane) opens once the store is followed.
  const asked = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!ready || target.run === undefined || asked.current === target.run) return;
    asked.current = target.run;
    setAuto(false);
    setLogBack(0);
    runs.open(target.run);
  }, [ready, target.run, runs.open]);

  const newestRunning = list.find((r) => r.status === "running")?.id;
  useEffect(() => {
    if (!ready || !auto || view || newestRunning === undefined) return;
    setLogBack(0);
    runs.open(newestRunning);
  }, [ready, auto, view, newestRunning, runs.open]);

  const opened = view !== null;
  useEffect(() => setKeys(opened ? RUN_KEYS : LIST_KEYS), [opened, setKeys]);

  const at = Math.max(0, Math.min(selected, list.length - 1));
  const page = Math.max(1, height - 8);
  const live = useRef({ view, list, at, page });
  live.current = { view, list, at, page };
  useInput(
    (input, key) => {
      const { view, list, at, page } = live.current;
      if (!view) {
        if (key.upArrow) setSelected(Math.max(0, at - 1));
        else if (key.downArrow) setSelected(Math.min(list.length - 1, at + 1));
        else if (key.return && list[at]) {
          setAuto(false);
          setLogBack(0);
          runs.open(list[at]!.id);
        }
        return;
      }
      const count = logEntries(view).length;
      const back = (n: number) => setLogBack((b) => Math.max(0, Math.min(count - 1, b + n)));
      if (key.escape) {
        setAuto(false);
        runs.shut();
        const i = list.findIndex((r) => r.id === view.run.id);
        if (i >= 0) setSelected(i);
      } else if (input === "l") setLogY((v) => !v);
      else if (input === "s") setSmoothing((w) => SMOOTHING[(SMOOTHING.indexOf(w as never) + 1) % SMOOTHING.length]!);
      else if (key.upArrow) back(1);
      else if (key.downArrow) back(-1);
      else if (key.pageUp) back(page);
      else if (key.pageDown) back(-page);
      else if (key.end) setLogBack(0);
    },
    { isActive: focused },
  );

  if (view) {
    return (
      <RunView
        view={view}
        width={width}
        height={height}
        color={color}
        logY={logY}
        smoothing={smoothing}
        logBack={logBack}
      />
    );
  }
  const note = error
    ? `The seed runs could not be read: ${error}`
    : list.length === 0
      ? "No seed runs recorded yet. `veyra seeds run --dataset spirals` records one; it opens here as it starts."
      : null;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {list.length > 0 ? (
        <Table
          columns={RUN_COLUMNS}
          rows={list.map(runCells)}
          width={width}
          height={Math.min(list.length + 1, height - (note ? 2 : 0))}
          selected={at}
          color={color}
          rowColour={(i) => (list[i]!.status === "running" ? "cyan" : list[i]!.status === "failed" ? "red" : undefined)}
        />
      ) : (
        <Text bold>{truncateWords("Seed runs", width)}</Text>
      )}
      {note
        ? wrapWords(note, width).map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a wrapped sentence's lines are positions
            <Text key={i} color={color && error ? "red" : undefined}>
              {l}
            </Text>
          ))
        : null}
    </Box>
  );
}
