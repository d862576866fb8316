// The replay pane's small edit form (e): three fields, step, param and value, as in
// `modify step N PARAM=VALUE`. Tab/↓ and ↑ move between the fields, Enter moves on
// and on the last field saves, Esc cancels. Saving is one call of the typed replay:
// step 0 (enter) edits an input (editInput), any other step a parameter of the step
// that ran there (editStep), which validates the edited node at once. A mistake
// throws a usage or input error whose message the form shows; the form stays open.

import type { Edit, Replay } from "../../../src/workbench/index.js";
import { UsageError } from "../../../src/values/errors.js";
import { shorten, wrapWords } from "../debug/fit-text.js";
import { line, type Line } from "../debug/styled-lines.js";
import { emptyField, type Field, fieldText, type KeyPress, typeInto } from "../debug/text-field.js";

export const FORM_LABELS = ["step", "param", "value"] as const;

export interface EditForm {
  fields: [Field, Field, Field];
  focus: 0 | 1 | 2;
  error?: string;
}

export function newEditForm(position: number): EditForm {
  return { fields: [emptyField(position >= 0 ? String(position) : ""), emptyField(), emptyField()], focus: 0 };
}

export function formKey(
  f: EditForm,
  input: string,
  key: KeyPress & { shift?: boolean },
): { form: EditForm; done?: "submit" | "cancel" } {
  const move = (by: number) => ({ form: { ...f, focus: ((f.focus + by + 3) % 3) as EditForm["focus"] } });
  if (key.escape) return { form: f, done: "cancel" };
  if (key.upArrow || (key.tab && key.shift)) return move(-1);
  if (key.tab || key.downArrow) return move(1);
  if (key.return) return f.focus === 2 ? { form: f, done: "submit" } : move(1);
  const typed = typeInto(f.fields[f.focus], input, key);
  const fields = [...f.fields] as EditForm["fields"];
  fields[f.focus] = typed.field;
  return { form: { ...f, fields } };
}

/** Makes the edit the form describes. Throws the replay's error when it cannot be made. */
export function saveEdit(r: Replay, f: EditForm): Edit {
  const [step, param, value] = f.fields.map((x) => x.value.trim()) as [string, string, string];
  if (!/^\d+$/.test(step)) throw new UsageError(`step must be a step number between 0 and ${r.last}, not '${step}'`);
  if (param === "")
    throw new UsageError("param names what to change: timeout_ms, fee, error_handling.retry.max_attempts, or an input");
  const index = Number(step);
  return index === 0 && r.last >= 0 ? r.editInput(param, value) : r.editStep(index, param, value);
}

export function formLines(r: Replay, f: EditForm, width: number): Line[] {
  const index = /^\d+$/.test(f.fields[0].value.trim()) ? Number(f.fields[0].value.trim()) : undefined;
  const rec = index === undefined ? undefined : r.recorded[index]?.event;
  const about = index === 0 ? "enter: param is an input" : rec ? `${rec.step} (${rec.op})` : "";
  const box = Math.max(10, Math.min(40, width - 30));
  const out: Line[] = [
    [
      { text: "EDIT ", bold: true, inverse: true },
      { text: "  Tab: next field · Enter: save · Esc: cancel", tone: "muted" },
    ],
  ];
  FORM_LABELS.forEach((label, i) => {
    const focused = f.focus === i;
    const text = focused ? fieldText(f.fields[i]!, box) : shorten(f.fields[i]!.value, box);
    out.push([
      { text: `${focused ? "▶" : " "} ${label.padEnd(6)}`, bold: focused },
      { text: `[${text.padEnd(box)}]`, inverse: focused },
      { text: i === 0 && about ? `  ${about}` : "", tone: "muted" },
    ]);
  });
  out.push(
    line(
      shorten(
        "param: a key of the step (timeout_ms), a dotted path (error_handling.retry.max_attempts), a name under set/args (fee); step 0: an input",
        width,
      ),
      { tone: "muted" },
    ),
  );
  if (f.error) out.push(...wrapWords(`✗ ${f.error}`, width, "  ").map((t) => line(t, { tone: "bad", bold: true })));
  return out;
}
