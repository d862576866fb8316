// The Replay pane: the recorded traces (listRecordedTraces), filtered by the store from
// one line (/: node, status, date, free words), and one trace opened for time travel
// (openReplay, or target.trace to open one directly): ←/→ scrub the timeline (state,
// bindings and calls of the selected step), e edits a step or an input in a small
// form, f forks, d shows the fork's diff (a trace that is a fork, unedited: against its
// parent), a applies the step edits to the .vsp file after a y/N confirmation, R
// reruns the trace against the file as it is now. Every
// action is one call of the typed Replay (what `vesper replay` types). While the
// filter, the form or the question is open the pane captures every key.

import { relative } from "node:path";
import { useInput } from "ink";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import type { KeyHint, PaneProps } from "../../pane.js";
import { TraceStore } from "../../../src/store/store.js";
import {
  listRecordedTraces,
  openReplay,
  type Replay,
  type StoreRef,
  type TraceRow,
} from "../../../src/workbench/index.js";
import { shorten, wrapWords } from "../debug/fit-text.js";
import { fitLine } from "../debug/line-fit.js";
import { line, type Line, StyledLines, type Tone } from "../debug/styled-lines.js";
import { emptyField, type Field, fieldText, typeInto } from "../debug/text-field.js";
import { nextTick, useSpinner } from "../debug/use-spinner.js";
import { useSyncState } from "../../hooks/use-sync-state.js";
import { type EditForm, formKey, formLines, newEditForm, saveEdit } from "./edit-form.js";
import { forkDiffLines } from "./fork-diff-view.js";
import { timelineLines } from "./timeline-view.js";
import { FILTER_HELP, parseTraceFilter } from "./trace-filter.js";
import { traceListLines } from "./trace-list-view.js";

/** How many traces the list asks the store for (newest first, those the filter takes). */
const LIST_LIMIT = 500;

type View = "list" | "timeline" | "diff";

interface Message {
  text: string;
  tone?: Tone;
}

interface Opened {
  replay: Replay;
  /** Closes a store opened for this replay (none when the shell's store is an open one). */
  release: () => void;
}

interface Question {
  text: string;
  answer: (yes: boolean) => void;
}

const LIST_KEYS: KeyHint[] = [
  { keys: "↑/↓", does: "select" },
  { keys: "Enter", does: "open" },
  { keys: "/", does: "filter" },
  { keys: "r", does: "reload" },
];
const TIMELINE_KEYS: KeyHint[] = [
  { keys: "←/→", does: "scrub" },
  { keys: "g/G", does: "first/last" },
  { keys: "e", does: "edit" },
  { keys: "f", does: "fork" },
  { keys: "d", does: "diff" },
  { keys: "a", does: "apply" },
  { keys: "R", does: "rerun" },
  { keys: "Esc", does: "traces" },
];
const DIFF_KEYS: KeyHint[] = [
  { keys: "↑/↓", does: "scroll" },
  { keys: "a", does: "apply" },
  { keys: "d/Esc", does: "timeline" },
];
/** A fork opened and diffed against its parent: nothing was edited, so there is nothing to apply. */
const PARENT_DIFF_KEYS = DIFF_KEYS.filter((k) => k.keys !== "a");
const TYPING_KEYS: KeyHint[] = [
  { keys: "Enter", does: "done" },
  { keys: "Esc", does: "cancel" },
];
const FORM_KEYS: KeyHint[] = [
  { keys: "Tab", does: "next field" },
  { keys: "Enter", does: "save" },
  { keys: "Esc", does: "cancel" },
];
const QUESTION_KEYS: KeyHint[] = [
  { keys: "y", does: "yes" },
  { keys: "n/Esc", does: "no" },
];

export function ReplayPane(props: PaneProps) {
  const { width, height, color, focused, setKeys, setCapturing, store } = props;
  // What the key handler reads is read as it is now (keys can come faster than renders).
  const [view, setView, viewNow] = useSyncState<View>("list");
  const [reloads, reload] = useReducer((n: number) => n + 1, 0);
  const [filterText, setFilterText] = useState("");
  const [filterPrompt, setFilterPromptState, filterPromptNow] = useSyncState<Field | undefined>(undefined);
  const [selected, setSelected, selectedNow] = useSyncState(0);
  const [opened, setOpened, openedNow] = useSyncState<Opened | undefined>(undefined);
  const [form, setFormState, formNow] = useSyncState<EditForm | undefined>(undefined);
  const [question, setQuestionState, questionNow] = useSyncState<Question | undefined>(undefined);
  const [message, setMessage] = useState<Message | undefined>(undefined);
  const [busy, setBusy, busyNow] = useSyncState<string | undefined>(undefined);
  // The shell learns at once that keys are the pane's, before the next key arrives.
  const capture = () => setCapturing(!!(filterPromptNow() || formNow() || questionNow()));
  const setFilterPrompt = (f: Field | undefined) => {
    setFilterPromptState(f);
    capture();
  };
  const setForm = (f: EditForm | undefined) => {
    setFormState(f);
    capture();
  };
  const setQuestion = (q: Question | undefined) => {
    setQuestionState(q);
    capture();
  };
  const [diffOffset, setDiffOffset] = useState(0);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const spinner = useSpinner(busy !== undefined);
  const openedRef = useRef<Opened | undefined>(undefined);
  // The list: the store filters it (as `vesper traces list` does), asked again as the
  // filter or a fork changes what it holds, while drawing, so the rows on screen are
  // always the filter's.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads is a trigger
  const listed = useMemo((): { traces: TraceRow[]; error?: unknown } => {
    try {
      return { traces: listRecordedTraces(store, { ...parseTraceFilter(filterText), limit: LIST_LIMIT }) };
    } catch (error) {
      return { traces: [], error };
    }
  }, [store, filterText, reloads]);
  const traces = listed.traces;
  useEffect(() => {
    if (listed.error !== undefined) setMessage({ text: errorText(listed.error), tone: "bad" });
  }, [listed]);

  const closeReplay = useCallback(() => {
    openedRef.current?.release();
    openedRef.current = undefined;
    setOpened(undefined);
  }, [setOpened]);

  const openTrace = useCallback(
    (id: string) => {
      closeReplay();
      try {
        const o = replayOf(store, id);
        openedRef.current = o;
        setOpened(o);
        setView("timeline");
        setMessage(undefined);
        // Land on enter, so the first frame already shows a step.
        if (o.replay.last >= 0)
          void o.replay.step(1).then(redraw, (err) => setMessage({ text: errorText(err), tone: "bad" }));
      } catch (err) {
        setMessage({ text: errorText(err), tone: "bad" });
      }
    },
    [store, closeReplay, setOpened, setView],
  );

  useEffect(() => {
    if (props.target.trace !== undefined) openTrace(props.target.trace);
  }, [props.target.trace, openTrace]);
  useEffect(() => () => openedRef.current?.release(), []);

  const typing = filterPrompt !== undefined || form !== undefined || question !== undefined;
  useEffect(() => {
    setCapturing(typing);
  }, [typing, setCapturing]);
  useEffect(() => {
    const list = filterText ? [...LIST_KEYS, { keys: "Esc", does: "clear the filter" }] : LIST_KEYS;
    setKeys(
      question
        ? QUESTION_KEYS
        : form
          ? FORM_KEYS
          : filterPrompt
            ? TYPING_KEYS
            : view === "diff"
              ? opened?.replay.diffBasis === "parent"
                ? PARENT_DIFF_KEYS
                : DIFF_KEYS
              : view === "timeline"
                ? TIMELINE_KEYS
                : list,
    );
  }, [question, form, filterPrompt, view, filterText, opened, setKeys]);

  const act = useCallback(
    async (label: string | undefined, run: () => Promise<Message | undefined> | Message | undefined) => {
      try {
        if (label) {
          setBusy(label);
          await nextTick();
        }
        const said = await run();
        if (said) setMessage(said);
      } catch (err) {
        setMessage({ text: errorText(err), tone: "bad" });
      } finally {
        setBusy(undefined);
        redraw();
      }
    },
    [setBusy],
  );

  useInput(
    (input, key) => {
      const asked = questionNow();
      if (asked) {
        setQuestion(undefined);
        asked.answer(input === "y" || input === "Y");
        return;
      }
      const filtering = filterPromptNow();
      if (filtering) {
        const typed = typeInto(filtering, input, key);
        if (typed.done === "cancel") setFilterPrompt(undefined);
        else if (typed.done === "submit") submitFilter(typed.field.value);
        else setFilterPrompt(typed.field);
        return;
      }
      const editing = formNow();
      const o = openedNow();
      if (editing) {
        if (!o) return;
        const next = formKey(editing, input, key);
        if (next.done === "cancel") setForm(undefined);
        else if (next.done === "submit") submitForm(o.replay, next.form);
        else setForm(next.form);
        return;
      }
      if (busyNow()) return;
      if (viewNow() === "list") listKey(input, key);
      else if (o) replayKey(o.replay, input, key);
    },
    { isActive: focused },
  );

  function listKey(input: string, key: { upArrow: boolean; downArrow: boolean; return: boolean; escape: boolean }) {
    if (key.upArrow || input === "k") setSelected((i) => Math.max(0, i - 1));
    else if (key.downArrow || input === "j") setSelected((i) => Math.min(traces.length - 1, i + 1));
    else if (key.return && traces[selectedNow()]) openTrace(traces[selectedNow()]!.id);
    else if (input === "/") setFilterPrompt(emptyField(filterText));
    else if (key.escape && filterText) setFilterText("");
    else if (input === "r") reload();
  }

  function replayKey(
    r: Replay,
    input: string,
    key: { leftArrow: boolean; rightArrow: boolean; escape: boolean; upArrow: boolean; downArrow: boolean },
  ) {
    if (viewNow() === "diff") {
      if (key.escape || input === "d") setView("timeline");
      else if (key.downArrow || input === "j") setDiffOffset((n) => n + 1);
      else if (key.upArrow || input === "k") setDiffOffset((n) => Math.max(0, n - 1));
      else if (input === "a") void apply(r);
      return;
    }
    if (key.escape) {
      closeReplay();
      setView("list");
      // What was said was about the closed trace; the list starts clean.
      setMessage(undefined);
      reload();
    } else if (key.rightArrow || input === "l") void act(undefined, async () => moved(await r.step(1)));
    else if (key.leftArrow || input === "h")
      void act(undefined, () => {
        r.back(1);
        return undefined;
      });
    else if (input === "g")
      void act(undefined, async () => {
        await r.goto(0);
        return undefined;
      });
    else if (input === "G")
      void act("running to the end", async () => (r.done ? undefined : moved(await r.continue())));
    else if (input === "e") setForm(newEditForm(r.position));
    else if (input === "f") void act("forking", async () => forked(await r.fork()));
    else if (input === "R") void act("rerunning against the file as it is now", async () => reran(await r.rerun()));
    else if (input === "d") {
      // The workbench's refusal names the headless commands (modify, run); here they are keys.
      // A trace that is itself a fork, with nothing modified, is compared with its parent.
      if (r.diffBasis === undefined) {
        setMessage({
          text: "no fork to compare yet: e edits a step and f forks the run, or R reruns the current file",
        });
        return;
      }
      try {
        r.diff();
        setDiffOffset(0);
        setView("diff");
      } catch (err) {
        setMessage({ text: errorText(err), tone: "bad" });
      }
    } else if (input === "a") void apply(r);
  }

  function forked(f: { trace: TraceRow; result: { status: string } }): Message {
    setDiffOffset(0);
    setView("diff");
    reload();
    return {
      text: `fork ${f.trace.id.slice(0, 8)} ran: ${f.result.status} (a applies the step edits to the file)`,
      tone: f.result.status === "success" ? "good" : "warn",
    };
  }

  function reran(rerun: { fork: { trace: TraceRow }; sameOutcome: boolean }): Message {
    setDiffOffset(0);
    setView("diff");
    reload();
    return {
      text: `rerun ${rerun.fork.trace.id.slice(0, 8)}: ${rerun.sameOutcome ? "the same outcome as recorded" : "a different outcome from the recording"}`,
      tone: rerun.sameOutcome ? undefined : "warn",
    };
  }

  function apply(r: Replay) {
    return act(undefined, async () => {
      const result = await r.apply({
        confirm: (text) => new Promise<boolean>((answer) => setQuestion({ text, answer })),
      });
      return result.applied
        ? {
            text: `wrote ${result.edits.length} edit${result.edits.length === 1 ? "" : "s"} into ${result.file}${result.skipped.length ? ` (input edits are not part of the file: ${result.skipped.length} skipped)` : ""}`,
            tone: "good",
          }
        : { text: "nothing written", tone: "warn" };
    });
  }

  function submitFilter(text: string) {
    try {
      parseTraceFilter(text);
      setFilterText(text.trim());
      setFilterPrompt(undefined);
      setSelected(0);
      setMessage(undefined);
    } catch (err) {
      setMessage({ text: errorText(err), tone: "bad" });
    }
  }

  function submitForm(r: Replay, f: EditForm) {
    try {
      const e = saveEdit(r, f);
      setForm(undefined);
      setMessage({
        text: `edit ${r.edits.length}: ${e.step}.${e.param}: ${e.before} → ${e.after} (f forks the run)`,
        tone: "good",
      });
    } catch (err) {
      setForm({ ...f, error: errorText(err) });
    }
  }

  // ---- drawing ----

  const footer: Line[] = [];
  if (busy) footer.push(fitLine(line(`${spinner} ${busy}…`, { tone: "accent" }), width));
  else if (message)
    footer.push(
      ...wrapWords(message.text, width, "  ")
        .slice(0, 3)
        .map((t) => line(t, { tone: message.tone })),
    );
  if (question) footer.push(...wrapWords(question.text, width, "  ").map((t) => line(t, { bold: true, tone: "warn" })));
  if (filterPrompt) {
    footer.push(line(shorten(FILTER_HELP, width), { tone: "muted" }));
    footer.push([{ text: "filter> ", bold: true }, { text: fieldText(filterPrompt, width - 9) }]);
  }
  const formRows = form && opened ? formLines(opened.replay, form, width) : [];
  const room = Math.max(1, height - footer.length - formRows.length);
  let body: Line[];
  if (view === "list" || !opened)
    body = traceListLines({ traces, selected, filter: filterText, limit: LIST_LIMIT, width, rows: room });
  else if (view === "diff") {
    const all = forkDiffLines(opened.replay.diff(), width);
    const offset = Math.min(diffOffset, Math.max(0, all.length - room));
    body = all.slice(offset, offset + room);
  } else
    body = timelineLines({
      replay: opened.replay,
      fileName: relative(props.cwd, opened.replay.file) || opened.replay.file,
      width,
      rows: room,
    });
  const lines = [...body.slice(0, room), ...formRows, ...footer];
  return <StyledLines lines={lines} width={width} height={height} color={color} />;
}

/** A replay on the pane's store: an open store is used as it is; a path is opened for the replay and closed with it. */
function replayOf(store: StoreRef, id: string): Opened {
  if (typeof store !== "string") return { replay: openReplay(store, id), release: () => {} };
  const owned = TraceStore.open(store, { mustExist: true });
  try {
    return { replay: openReplay(owned, id), release: () => owned.close() };
  } catch (err) {
    owned.close();
    throw err;
  }
}

function moved(run: {
  done: boolean;
  end?: { identical: boolean; departure?: { index: number; message: string } };
}): Message | undefined {
  if (!run.end) return undefined;
  if (run.end.identical)
    return { text: "the end of the trace: the replay did exactly what was recorded", tone: "good" };
  return {
    text: `the end of the trace: the replay departs from the recording${run.end.departure ? ` at step ${run.end.departure.index}: ${run.end.departure.message}` : ""}`,
    tone: "warn",
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
