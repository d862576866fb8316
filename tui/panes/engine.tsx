// Pane 5, Engine: the active TensorFlow.js backend and its device, and why each
// other backend is not active (as `veyra engine info`); `b` runs the bench (as
// `veyra engine bench`, each workload checked against float64 before it is timed)
// with a progress bar, then shows the results table. Starting the engine loads
// TensorFlow.js, so the workbench's engine module is imported when the pane first
// needs it, never at the TUI's start.

import { Box, Text, useInput } from "ink";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import type { BenchCase, EngineInfo } from "../../src/workbench/index.js";
import { describeDevice } from "../../commands/engine-format.js";
import { ProgressBar } from "../components/progress-bar.js";
import { type Column, Table } from "../components/table.js";
import { truncateWords, wrapWords } from "../components/text.js";
import type { KeyHint, PaneProps } from "../pane.js";

type Bench =
  | { kind: "idle" }
  | { kind: "running"; done: number; total: number; cases: BenchCase[] }
  | { kind: "done"; cases: BenchCase[]; quick: boolean }
  | { kind: "failed"; message: string };

const KEYS: KeyHint[] = [
  { keys: "b", does: "run the bench" },
  { keys: "B", does: "quick bench (small sizes)" },
  { keys: "i", does: "look at the backends again" },
];

const BENCH_COLUMNS: Column[] = [
  { header: "workload", shrink: true, min: 8 },
  { header: "size", shrink: true, min: 8 },
  { header: "throughput", align: "right" },
  { header: "rel. error vs float64", shrink: true, min: 10 },
];

const loadEngine = () => import("../../src/workbench/engine.js");

export function EnginePane({ width, height, focused, color, setKeys }: PaneProps) {
  const [info, setInfo] = useState<EngineInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [bench, setBench] = useState<Bench>({ kind: "idle" });
  const alive = useRef(true);

  const look = useCallback(() => {
    setInfo(null);
    setProblem(null);
    loadEngine()
      .then((m) => m.engineInfo())
      .then(
        (i) => alive.current && setInfo(i),
        (err: Error) => alive.current && setProblem(err.message),
      );
  }, []);

  useEffect(() => {
    alive.current = true;
    look();
    return () => {
      alive.current = false;
    };
  }, [look]);

  const running = bench.kind === "running";
  useEffect(() => setKeys(running ? [] : KEYS), [running, setKeys]);

  const runBench = async (quick: boolean) => {
    setBench({ kind: "running", done: 0, total: 1, cases: [] });
    try {
      const { engineBench } = await loadEngine();
      const cases: BenchCase[] = [];
      let total = 1;
      for await (const ev of engineBench({ quick })) {
        if (!alive.current) return;
        if (ev.kind === "started") {
          total = ev.workloads;
          setInfo(ev.info);
        } else if (ev.kind === "case") cases.push(ev.case);
        else setBench({ kind: "done", cases: ev.report.cases, quick });
        if (ev.kind !== "finished") setBench({ kind: "running", done: cases.length, total, cases: [...cases] });
        // The workloads run synchronously: let the screen draw between them.
        await new Promise((r) => setImmediate(r));
      }
    } catch (err) {
      if (alive.current) setBench({ kind: "failed", message: (err as Error).message });
    }
  };

  const live = useRef(running);
  live.current = running;
  useInput(
    (input) => {
      if (live.current) return;
      if (input === "b" || input === "B") void runBench(input === "B");
      else if (input === "i") look();
    },
    { isActive: focused },
  );

  const benchPart = benchView(bench, width, height, color);
  // Wrapped sentences when they fit above the bench; else one line each, cut at a word.
  let lines = infoLines(info, problem, width, color, true);
  if (lines.length + benchPart.rows + 1 > height) lines = infoLines(info, problem, width, color, false);
  const top = lines.slice(0, Math.max(1, height - benchPart.rows - 1));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {top}
      <Box flexGrow={1} />
      {benchPart.node}
    </Box>
  );
}

function infoLines(
  info: EngineInfo | null,
  problem: string | null,
  width: number,
  color: boolean,
  wrap: boolean,
): ReactNode[] {
  const lines: ReactNode[] = [];
  const say = (key: string, s: string, c?: string, bold = false) =>
    (wrap ? wrapWords(s, width) : [truncateWords(s, width)]).forEach((l, i) =>
      lines.push(
        // biome-ignore lint/suspicious/noArrayIndexKey: a wrapped sentence's lines are positions
        <Text key={`${key}${i}`} bold={bold} color={color ? c : undefined}>
          {l}
        </Text>,
      ),
    );
  if (problem) say("problem", `The engine could not start: ${problem}`, "red");
  else if (!info) say("wait", "Starting the engine (loading TensorFlow.js)…");
  else {
    say(
      "backend",
      `Active backend: ${info.backend} (TensorFlow.js ${info.version ?? "not loaded"}), ${HOW[info.selectedBy]}`,
      undefined,
      true,
    );
    say("device", `Device: ${describeDevice(info.device)}`);
    if (info.notes.length > 0) say("notes", `Notes: ${info.notes.join("; ")}`);
    if (wrap) lines.push(<Text key="gap"> </Text>);
    say("order", "Backends, in selection order:", undefined, true);
    for (const b of info.backends) {
      const mark = b.status === "active" ? "▶" : "·";
      const why = b.status === "active" ? "active" : `${b.status}: ${b.reason}`;
      say(`b-${b.name}`, `${mark} ${b.name.padEnd(11)}${why}`, b.status === "active" ? "green" : undefined);
    }
  }
  return lines;
}

function benchView(bench: Bench, width: number, height: number, color: boolean): { node: ReactNode; rows: number } {
  if (bench.kind === "idle")
    return {
      node: <Text>{truncateWords("Press b to run the bench (about 10 s), B for a quick one.", width)}</Text>,
      rows: 1,
    };
  if (bench.kind === "failed")
    return {
      node: <Text color={color ? "red" : undefined}>{truncateWords(`The bench failed: ${bench.message}`, width)}</Text>,
      rows: 1,
    };
  const cases = bench.cases;
  const table = (
    <Table
      columns={BENCH_COLUMNS}
      rows={cases.map(caseCells)}
      width={width}
      height={Math.min(cases.length + 1, height - 1)}
      color={color}
      rowColour={(i) => (cases[i]!.ok ? undefined : "red")}
    />
  );
  if (bench.kind === "running") {
    return {
      node: (
        <Box flexDirection="column">
          {cases.length > 0 ? table : null}
          <ProgressBar
            done={bench.done}
            total={bench.total}
            width={width}
            label="workloads checked and timed"
            color={color}
          />
        </Box>
      ),
      rows: cases.length + 2,
    };
  }
  const failed = cases.filter((c) => !c.ok).length;
  const summary = failed
    ? `${failed} workload${failed === 1 ? "" : "s"} disagreed with float64 and ${failed === 1 ? "was" : "were"} not timed.`
    : bench.quick
      ? "Quick bench: the figures show the bench runs, not how fast it is."
      : "Every workload agreed with the float64 reference.";
  return {
    node: (
      <Box flexDirection="column">
        {table}
        <Text color={color ? (failed ? "red" : "green") : undefined}>{truncateWords(summary, width)}</Text>
      </Box>
    ),
    rows: cases.length + 2,
  };
}

function caseCells(c: BenchCase): string[] {
  const figure =
    c.figure === null ? "not timed" : `${c.figure >= 100 ? c.figure.toFixed(0) : c.figure.toFixed(1)} ${c.unit}`;
  return [c.name, c.size, figure, `${c.relError.toExponential(1)} ${c.ok ? "≤" : ">"} ${c.tolerance.toExponential(0)}`];
}

const HOW: Record<EngineInfo["selectedBy"], string> = {
  auto: "chosen automatically (the first that starts)",
  "--backend": "named by --backend",
  VEYRA_BACKEND: "named by VEYRA_BACKEND",
};
