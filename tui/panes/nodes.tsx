// Pane 1, Nodes: the .vsp files under the working folder and the nodes in the
// store, with validity, mode, confidence, executions and divergences. Enter opens
// the selected node in Debug; `t` runs a differential test on it (as `vesper test
// FILE` does, 1,000 inputs with a fresh seed) with a progress bar, Esc stops it
// (what was compared is still counted); `/` filters by node id or file. The table
// refreshes when the store records new evidence (followed live) and on `r`.

import { join } from "node:path";
import { Box, Text, useInput } from "ink";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  type DifferentialTestSummary,
  type FileValidation,
  findNodeFiles,
  loadNode,
  type NodeReport,
  runDifferentialTest,
  storeNodes,
  type TestProgress,
  validateFiles,
} from "../../src/workbench/index.js";
import { ProgressBar } from "../components/progress-bar.js";
import { type Column, Table } from "../components/table.js";
import { truncateWords, wrapWords } from "../components/text.js";
import { useFollow } from "../hooks/use-follow.js";
import { useSyncState } from "../hooks/use-sync-state.js";
import type { KeyHint, PaneProps } from "../pane.js";
import { matching, type NodeRow, nodeRows, rowCells } from "./nodes-rows.js";

const COLUMNS: Column[] = [
  { header: "node", shrink: true, min: 10 },
  { header: "file", shrink: true, min: 8 },
  { header: "valid" },
  { header: "mode", shrink: true, min: 6 },
  { header: "conf.", align: "right" },
  { header: "runs", align: "right" },
  { header: "div.", align: "right" },
];

/** Inputs per differential test, as `vesper test` runs by default. */
export const TEST_RUNS = 1000;

type TestState =
  | { kind: "idle" }
  | { kind: "running"; nodeId: string; progress: TestProgress | null; abort: AbortController }
  | { kind: "done"; summary: DifferentialTestSummary }
  | { kind: "failed"; message: string };

const ROW_KEYS: KeyHint[] = [
  { keys: "↑↓", does: "select" },
  { keys: "Enter", does: "open in Debug" },
  { keys: "t", does: "differential test" },
];
const FILTER_KEY: KeyHint = { keys: "/", does: "filter" };
const RELOAD_KEY: KeyHint = { keys: "r", does: "reload" };
const CLEAR_KEY: KeyHint = { keys: "Esc", does: "clear the filter" };

/**
 * The keys that do something now: the row keys only when a row is shown, the filter
 * only when there are nodes to filter (Esc clears one that is set), reload always.
 */
export function nodesKeys(nodes: number, shown: number, filter: string): KeyHint[] {
  return [
    ...(shown > 0 ? ROW_KEYS : []),
    ...(nodes > 0 ? [FILTER_KEY] : []),
    RELOAD_KEY,
    ...(filter ? [CLEAR_KEY] : []),
  ];
}

export function NodesPane({ store, cwd, width, height, focused, color, navigate, setKeys, setCapturing }: PaneProps) {
  const [files, setFiles] = useState<FileValidation[] | null>(null);
  const [reports, setReports] = useState<NodeReport[]>([]);
  const [storeProblem, setStoreProblem] = useState<string | null>(null);
  const [selected, setSelected, selectedNow] = useSyncState(0);
  // Read by the key handler as they are now: a filter typed and kept with Enter,
  // then Enter again to open the node, can all arrive before the next render.
  const [filter, setFilter, filterNow] = useSyncState("");
  const [typing, setTyping, typingNow] = useSyncState(false);
  const [test, setTest] = useState<TestState>({ kind: "idle" });
  const [note, setNote] = useState<string | null>(null);
  const lastProgress = useRef(0);
  /** While the files are being validated: how many of how many. */
  const [reading, setReading] = useState<{ done: number; of: number } | null>(null);

  // Validating every file at once held the first frame's keys for a second (48 files,
  // mostly YAML parsing): the files are validated in slices of about 25 ms, the table
  // filling in between, and a reload or unmount stops the slices of the one before.
  const stopLoading = useRef<() => void>(() => {});
  const loadFiles = useCallback(() => {
    stopLoading.current();
    let stopped = false;
    stopLoading.current = () => {
      stopped = true;
    };
    const found: FileValidation[] = [];
    const paths = findNodeFiles(cwd).map((f) => join(cwd, f));
    const pending = validateFiles(paths)[Symbol.iterator]();
    const slice = () => {
      if (stopped) return;
      const until = performance.now() + 25;
      let next = pending.next();
      for (; !next.done; next = pending.next()) {
        found.push(next.value);
        if (performance.now() > until) break;
      }
      setFiles([...found]);
      setReading(next.done ? null : { done: found.length, of: paths.length });
      if (!next.done) setImmediate(slice);
    };
    slice();
  }, [cwd]);
  const loadReports = useCallback(() => {
    try {
      setReports(storeNodes(store));
      setStoreProblem(null);
    } catch (err) {
      setStoreProblem((err as Error).message);
    }
  }, [store]);

  useEffect(() => {
    loadFiles();
    loadReports();
    return () => stopLoading.current();
  }, [loadFiles, loadReports]);

  // New evidence recorded by anyone (this pane's test, `vesper run` elsewhere) refreshes the table.
  const storePath = typeof store === "string" ? store : store.path;
  useFollow(
    storePath,
    (events) => {
      if (events.some((e) => e.kind !== "step")) loadReports();
    },
    { steps: false, pollMs: 250 },
  );

  const all = useMemo(() => nodeRows(files ?? [], reports, cwd), [files, reports, cwd]);
  const rows = useMemo(() => matching(all, filter), [all, filter]);
  const at = Math.max(0, Math.min(selected, rows.length - 1));
  const row: NodeRow | undefined = rows[at];
  // The key handler reads the rows of the latest render through a ref (a key may
  // arrive before the handler of that render is subscribed: effects run later), and
  // filters and selects them as the filter and the selection are now, so a filter
  // typed and opened faster than a redraw opens the node it shows.
  const live = useRef({ all, test: test as TestState });

  const running = test.kind === "running";
  const nodeCount = all.length;
  const shownCount = rows.length;
  live.current = { all, test };
  useEffect(() => {
    if (typing)
      setKeys([
        { keys: "Enter", does: "keep the filter" },
        { keys: "Esc", does: "clear the filter" },
      ]);
    else if (running) setKeys([{ keys: "Esc", does: "stop the test (what ran is counted)" }, ...ROW_KEYS.slice(0, 1)]);
    else setKeys(nodesKeys(nodeCount, shownCount, filter));
    setCapturing(typing);
  }, [typing, running, filter, nodeCount, shownCount, setKeys, setCapturing]);

  const startTest = (r: NodeRow) => {
    if (!r.file || !r.valid) {
      setNote(
        r.file ? `${r.file} is not valid: fix it before testing it.` : `${r.nodeId} has no .vsp file under ${cwd}.`,
      );
      return;
    }
    let prepared: ReturnType<typeof loadNode>;
    try {
      prepared = loadNode(join(cwd, r.file));
    } catch (err) {
      setTest({ kind: "failed", message: (err as Error).message });
      return;
    }
    const abort = new AbortController();
    const nodeId = prepared.node.nodeId.value;
    setNote(null);
    setTest({ kind: "running", nodeId, progress: null, abort });
    runDifferentialTest(store, prepared, {
      runs: TEST_RUNS,
      seed: Math.floor(Math.random() * 2 ** 31),
      file: r.file,
      signal: abort.signal,
      onProgress: (progress) => {
        const now = Date.now();
        if (progress.phase === "generating" && progress.done < progress.total && now - lastProgress.current < 50)
          return;
        lastProgress.current = now;
        setTest((t) => (t.kind === "running" ? { ...t, progress } : t));
      },
    }).then(
      (summary) => {
        setTest({ kind: "done", summary });
        loadReports();
      },
      (err: Error) => setTest({ kind: "failed", message: err.message }),
    );
  };

  useInput(
    (input, key) => {
      const { all, test } = live.current;
      const filter = filterNow();
      const shown = matching(all, filter);
      const count = shown.length;
      const row = shown[Math.max(0, Math.min(selectedNow(), count - 1))];
      if (typingNow()) {
        if (key.return) setTyping(false);
        else if (key.escape) {
          setFilter("");
          setTyping(false);
        } else if (key.backspace || key.delete) setFilter((f) => f.slice(0, -1));
        else if (input && !key.ctrl && !key.meta) setFilter((f) => f + input);
        setSelected(0);
        return;
      }
      if (key.escape) {
        if (test.kind === "running") test.abort.abort();
        else if (filter) setFilter("");
        return;
      }
      if (key.upArrow || input === "k") setSelected((s) => Math.max(0, Math.min(s, count - 1) - 1));
      else if (key.downArrow || input === "j") setSelected((s) => Math.max(0, Math.min(count - 1, s + 1)));
      else if (test.kind === "running") return;
      else if (key.return && row) {
        if (row.file) navigate("debug", { node: row.file });
        else setNote(`${row.nodeId} has no .vsp file under ${cwd} to debug.`);
      } else if (input === "t" && row) startTest(row);
      else if (input === "/" && all.length > 0) setTyping(true);
      else if (input === "r") {
        loadFiles();
        loadReports();
      }
    },
    { isActive: focused },
  );

  if (files === null) return <Text>Reading the .vsp files under {cwd}…</Text>;
  const status = statusLines(
    test,
    reading ? `reading the .vsp files: ${reading.done} of ${reading.of}…` : note,
    storeProblem,
    row,
    width,
    color,
  );
  const filterLine = typing || filter ? `/${filter}${typing ? "▏" : ""}` : null;
  const tableHeight = Math.max(2, height - status.length - (filterLine ? 1 : 0) - 1);
  if (rows.length === 0 && !filter) {
    return (
      <Box flexDirection="column">
        {wrapWords(
          `No .vsp files under ${cwd}, and the store has no nodes yet. Start veyra tui in a folder with nodes (the project's examples/), or record one with vesper run FILE.`,
          width,
        ).map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are positions
          <Text key={i}>{l}</Text>
        ))}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height}>
      {filterLine ? <Text color={color ? "yellow" : undefined}>{truncateWords(filterLine, width)}</Text> : null}
      <Table
        columns={COLUMNS}
        rows={rows.map(rowCells)}
        width={width}
        height={tableHeight}
        selected={at}
        color={color}
        rowColour={(i) =>
          rows[i]!.valid === false ? "red" : (rows[i]!.report?.divergences ?? 0) > 0 ? "yellow" : undefined
        }
      />
      <Box flexGrow={1} />
      {status}
    </Box>
  );
}

/** The lines under the table: the running test's bar, its result, or the selected node's details. */
function statusLines(
  test: TestState,
  note: string | null,
  storeProblem: string | null,
  row: NodeRow | undefined,
  width: number,
  color: boolean,
) {
  const lines: ReactNode[] = [];
  const text = (key: string, s: string, c?: string) => (
    <Text key={key} color={color ? c : undefined}>
      {truncateWords(s, width)}
    </Text>
  );
  if (storeProblem) lines.push(text("store", `store: ${storeProblem}`, "red"));
  if (test.kind === "running") {
    const p = test.progress;
    if (!p || p.phase === "generating") {
      const counts = p ? `agreed ${p.agreed}, diverged ${p.diverged}, discarded ${p.discarded}` : "starting";
      lines.push(text("what", `testing ${test.nodeId}: both runtimes on generated inputs (Esc stops)`));
      lines.push(
        <ProgressBar
          key="bar"
          done={p?.done ?? 0}
          total={p?.total ?? TEST_RUNS}
          width={width}
          label={counts}
          color={color}
        />,
      );
    } else if (p.phase === "shrinking") {
      lines.push(text("what", `testing ${test.nodeId}: a divergence found, looking for a smaller input`, "yellow"));
      lines.push(
        <ProgressBar key="bar" done={p.attempts} total={p.limit} width={width} label="shrinking" color={color} />,
      );
    } else lines.push(text("what", `testing ${test.nodeId}: recording the counts…`));
    return lines;
  }
  if (test.kind === "done") {
    const s = test.summary;
    const r = s.report;
    const how = r.interrupted ? `stopped after ${r.runs} of ${s.runs} inputs` : `${r.runs} inputs`;
    // Two lines: on a narrow terminal one line cut the confidence and the recommended mode off.
    lines.push(
      text(
        "result",
        `${s.nodeId}: ${how}, agreed ${r.agreed}, diverged ${r.diverged}, discarded ${r.discarded}`,
        r.diverged > 0 ? "yellow" : "green",
      ),
      text("confidence", `confidence ${s.confidence.toFixed(3)}, recommended mode ${s.recommended ?? "—"}`),
    );
    if (s.caseFile) lines.push(text("case", `regression case written: ${s.caseFile}`));
  } else if (test.kind === "failed") lines.push(text("failed", `the test could not run: ${test.message}`, "red"));
  if (note) lines.push(text("note", note, "yellow"));
  if (row && lines.length < 3) {
    if (row.valid === false && row.problem) lines.push(text("problem", `${row.file}: ${row.problem}`, "red"));
    else if (row.report?.state)
      lines.push(
        text(
          "mode",
          `${row.nodeId}: ${row.report.state.mode} (${row.report.state.policy}): ${row.report.state.reason}`,
        ),
      );
    else if (row.report)
      // Evidence but no mode: say what it recommends and how to act on it (the TUI sets no modes).
      lines.push(
        text(
          "mode",
          `${row.nodeId}: no mode set; confidence ${row.report.confidence.toFixed(3)} recommends ${row.report.recommended}: vesper mode ${row.nodeId} --set ${row.report.recommended} (or --auto); t gathers more`,
        ),
      );
    else if (row.nodeId) lines.push(text("mode", `${row.nodeId}: nothing recorded yet; press t to test it`));
  }
  return lines;
}
