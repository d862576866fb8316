// The Debug pane: the comparative session (openDebugSession) on the node the pane
// was asked to open (target.node, from the Nodes pane or --node), drawn by
// debug-view.ts. Keys: s step, n next (a branch as one step), c continue (to a
// breakpoint or the end), b back, B the breakpoint prompt (a spec adds, -N removes),
// d the diff view, i the next sample's inputs, r restart. Every move is a method of
// the typed session, as `vesper debug` types it. Only while focused does it read
// keys; while the prompt is open it captures every key (setCapturing) so the shell's
// own keys are typed into it. Mistakes (a bad spec, stepping past the end) are shown
// and the session goes on.

import { isAbsolute, relative, resolve } from "node:path";
import { useInput } from "ink";
import { useCallback, useEffect, useReducer, useState } from "react";
import type { KeyHint, PaneProps } from "../../pane.js";
import type { DebugSession, MoveOutcome } from "../../../src/workbench/index.js";
import { applyBreakLine, BREAK_HELP } from "./break-prompt.js";
import { debugLines, type DebugView } from "./debug-view.js";
import { wrapWords } from "./fit-text.js";
import { fitLine } from "./line-fit.js";
import { line, type Line, StyledLines, type Tone } from "./styled-lines.js";
import { emptyField, type Field, fieldText, typeInto } from "./text-field.js";
import { useDebugSession } from "./use-debug-session.js";
import { useSyncState } from "../../hooks/use-sync-state.js";
import { nextTick, useSpinner } from "./use-spinner.js";

interface Message {
  text: string;
  tone?: Tone;
}

const MAIN_KEYS: KeyHint[] = [
  { keys: "s", does: "step" },
  { keys: "n", does: "next" },
  { keys: "c", does: "continue" },
  { keys: "b", does: "back" },
  { keys: "B", does: "breakpoints" },
  { keys: "d", does: "diff" },
  { keys: "i", does: "next sample" },
  { keys: "r", does: "restart" },
];
const DIFF_KEYS: KeyHint[] = [
  { keys: "d/Esc", does: "close the diff" },
  { keys: "s", does: "step" },
  { keys: "c", does: "continue" },
  { keys: "b", does: "back" },
];
const PROMPT_KEYS: KeyHint[] = [
  { keys: "Enter", does: "add (spec) or remove (-N)" },
  { keys: "Esc", does: "close the prompt" },
];

export function DebugPane(props: PaneProps) {
  const { width, height, color, focused, setKeys, setCapturing } = props;
  const file = props.target.node === undefined ? undefined : absolute(props.cwd, props.target.node);
  const [sample, setSample] = useState<string | undefined>(undefined);
  const [restarts, restart] = useReducer((n: number) => n + 1, 0);
  const opening = useDebugSession(file, sample, props.store, restarts);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  // Read by the key handler as they are now (keys can come faster than renders).
  const [view, setView, viewNow] = useSyncState<DebugView>("sides");
  const [prompt, setPromptState, promptNow] = useSyncState<Field | undefined>(undefined);
  const [message, setMessage] = useState<Message | undefined>(undefined);
  const [busy, setBusy, busyNow] = useSyncState<string | undefined>(undefined);
  // The shell learns at once that keys are the prompt's, before the next key arrives.
  const setPrompt = useCallback(
    (f: Field | undefined) => {
      setPromptState(f);
      setCapturing(f !== undefined);
    },
    [setPromptState, setCapturing],
  );
  const spinner = useSpinner(busy !== undefined);
  const session = opening.kind === "open" ? opening.opened.session : undefined;

  // A new node or sample starts afresh: no stale message, diff view or prompt.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the session changes
  useEffect(() => {
    setMessage(undefined);
    setView("sides");
    setPromptState(undefined);
  }, [session]);

  useEffect(() => {
    setKeys(prompt ? PROMPT_KEYS : view === "diff" ? DIFF_KEYS : session ? MAIN_KEYS : []);
  }, [prompt, view, session, setKeys]);
  useEffect(() => {
    setCapturing(prompt !== undefined);
  }, [prompt, setCapturing]);

  const move = useCallback(
    async (
      label: string | undefined,
      run: (s: DebugSession) => Promise<MoveOutcome | string> | MoveOutcome | string,
    ) => {
      if (!session) return;
      try {
        if (label) {
          setBusy(label);
          await nextTick();
        }
        const out = await run(session);
        setMessage(typeof out === "string" ? { text: out } : outcomeMessage(session, out));
      } catch (err) {
        setMessage({ text: errorText(err), tone: "bad" });
      } finally {
        setBusy(undefined);
        redraw();
      }
    },
    [session, setBusy],
  );

  useInput(
    (input, key) => {
      const open = promptNow();
      if (open) {
        const typed = typeInto(open, input, key);
        if (typed.done === "cancel") setPrompt(undefined);
        else if (typed.done === "submit") submitBreak(typed.field.value);
        else setPrompt(typed.field);
        return;
      }
      if (!session || busyNow()) return;
      if (key.escape && viewNow() === "diff") setView("sides");
      else if (input === "d") setView(viewNow() === "diff" ? "sides" : "diff");
      else if (input === "s") void move(undefined, (s) => s.step(1));
      else if (input === "n") void move(undefined, (s) => s.next());
      else if (input === "c") void move("continuing to a breakpoint or the end", (s) => s.continue());
      else if (input === "b") void move(undefined, (s) => backText(s));
      else if (input === "B") setPrompt(emptyField());
      else if (input === "r") restart();
      else if (input === "i" && opening.kind === "open") nextSample(opening.opened.samples, opening.opened.sample);
    },
    { isActive: focused },
  );

  function submitBreak(text: string) {
    if (!session) return;
    try {
      const said = applyBreakLine(session, text);
      setPrompt(undefined);
      if (said) setMessage({ text: said, tone: "good" });
      redraw();
    } catch (err) {
      // The prompt stays open with what was typed, so the mistake can be fixed.
      setMessage({ text: errorText(err), tone: "bad" });
    }
  }

  function nextSample(samples: string[], current: string | undefined) {
    if (samples.length < 2) {
      setMessage({ text: samples.length ? "this node has one sample" : "this node has no samples" });
      return;
    }
    setSample(samples[(samples.indexOf(current ?? "") + 1) % samples.length]);
  }

  if (opening.kind === "none")
    return <StyledLines lines={nothingOpen(width)} width={width} height={height} color={color} />;
  if (opening.kind === "failed")
    return <StyledLines lines={failed(file!, opening.message, width)} width={width} height={height} color={color} />;

  const footer: Line[] = [];
  if (busy) footer.push(fitLine(line(`${spinner} ${busy}…`, { tone: "accent" }), width));
  else if (message)
    footer.push(
      ...wrapWords(message.text, width, "  ")
        .slice(0, 3)
        .map((t) => line(t, { tone: message.tone })),
    );
  if (prompt) {
    footer.push(...wrapWords(BREAK_HELP, width, "  ").map((t) => line(t, { tone: "muted" })));
    footer.push([{ text: "break> ", bold: true }, { text: fieldText(prompt, width - 8) }]);
  }
  const lines = debugLines({
    session: opening.opened.session,
    source: opening.opened.source,
    fileName: relative(props.cwd, opening.opened.session.node.node.file) || opening.opened.session.node.node.file,
    sample: opening.opened.sample,
    view,
    width,
    height,
    footer,
  });
  return <StyledLines lines={lines} width={width} height={height} color={color} />;
}

function absolute(cwd: string, file: string): string {
  return isAbsolute(file) ? file : resolve(cwd, file);
}

function outcomeMessage(s: DebugSession, o: MoveOutcome): Message {
  if (o.hits.length > 0) {
    const said = o.hits.map((h) => `breakpoint ${h.breakpoint.id} (${h.breakpoint.spec}): ${h.message}`).join("; ");
    return { text: `${said}${o.before ? " (the step has not run yet: s runs it)" : ""}`, tone: "warn" };
  }
  if (o.reason === "ended" || s.done)
    return s.diverged
      ? { text: "both runs have ended; the runtimes diverged (d shows the differences, b goes back)", tone: "bad" }
      : { text: "both runs have ended and the runtimes agree at every step (b goes back)", tone: "good" };
  return { text: `ran ${o.frames.length} step${o.frames.length === 1 ? "" : "s"}` };
}

function backText(s: DebugSession): string {
  const went = s.back(1);
  return `went back ${went.steps} step${went.steps === 1 ? "" : "s"} ${pausedAt(s)}`;
}

/** "to #2 compute_fee": where the reference (else the direct) run is paused, numbered as the view numbers steps. */
function pausedAt(s: DebugSession): string {
  const w = s.where();
  const last = w.reference.last ?? w.direct.last;
  return last ? `to #${last.index} ${last.step}` : "to the start";
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function nothingOpen(width: number): Line[] {
  return [
    line("DEBUG", { bold: true }),
    line(""),
    ...wrapWords(
      "No node is open. Pick a .vsp file in the Nodes pane (1) and press Enter to debug it here, or start with `veyra tui --node FILE`.",
      width,
    ).map((t) => line(t)),
    line(""),
    ...wrapWords(
      "The debugger runs the reference and direct runtimes in lockstep on the node's first sample, and stops where they diverge.",
      width,
    ).map((t) => line(t, { tone: "muted" })),
  ];
}

function failed(file: string, message: string[], width: number): Line[] {
  return [
    line("DEBUG", { bold: true }),
    ...wrapWords(`✗ cannot debug ${file}:`, width).map((t) => line(t, { tone: "bad", bold: true })),
    ...message.flatMap((m) => wrapWords(m, width, "  ").map((t) => line(t, { tone: "bad" }))),
    line(""),
    line("Fix the file and pick it again in the Nodes pane (1).", { tone: "muted" }),
  ];
}
