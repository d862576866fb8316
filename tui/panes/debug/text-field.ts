// Generic (may move to tui/components/): a one-line text field as a pure model.
// typeInto applies one key press (as Ink's useInput reports it) to the field and
// says whether the user submitted (Enter) or cancelled (Esc). The pane draws the
// field with fieldText and keeps its value in React state.

export interface Field {
  value: string;
  /** Cursor position, 0 to value.length. */
  cursor: number;
}

export interface KeyPress {
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  home?: boolean;
  end?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
}

export type FieldOutcome = { field: Field; done?: "submit" | "cancel" };

export const emptyField = (value = ""): Field => ({ value, cursor: value.length });

export function typeInto(f: Field, input: string, key: KeyPress): FieldOutcome {
  if (key.return) return { field: f, done: "submit" };
  if (key.escape) return { field: f, done: "cancel" };
  if (key.leftArrow) return { field: { ...f, cursor: Math.max(0, f.cursor - 1) } };
  if (key.rightArrow) return { field: { ...f, cursor: Math.min(f.value.length, f.cursor + 1) } };
  if (key.home || (key.ctrl && input === "a")) return { field: { ...f, cursor: 0 } };
  if (key.end || (key.ctrl && input === "e")) return { field: { ...f, cursor: f.value.length } };
  if (key.ctrl && input === "u") return { field: { value: f.value.slice(f.cursor), cursor: 0 } };
  // Terminals send DEL (0x7f) for the Backspace key, which Ink reports as `delete`: both erase backwards.
  if (key.backspace || key.delete) {
    if (f.cursor === 0) return { field: f };
    return { field: { value: f.value.slice(0, f.cursor - 1) + f.value.slice(f.cursor), cursor: f.cursor - 1 } };
  }
  if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || input === "") return { field: f };
  // Pasted text may hold newlines: a field is one line.
  const text = input.replace(/[\r\n]+/g, " ");
  return {
    field: { value: f.value.slice(0, f.cursor) + text + f.value.slice(f.cursor), cursor: f.cursor + text.length },
  };
}

/** The field's text with a block cursor, shortened from the left to fit `width` cells. */
export function fieldText(f: Field, width: number): string {
  const shown = `${f.value.slice(0, f.cursor)}█${f.value.slice(f.cursor)}`;
  const chars = [...shown];
  return chars.length <= width ? shown : `…${chars.slice(chars.length - width + 1).join("")}`;
}
