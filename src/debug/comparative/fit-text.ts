import { Tensor, VRecord, formatValue, type Value } from "../../values/values.js";

// Text that fits a column: values shortened with an ellipsis, tensors showing as
// many leading elements as the room allows (so a wider terminal shows more).

export function clip(text: string, width: number): string {
  if (width <= 0) return "";
  const flat = text.replace(/\n/g, " ");
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`;
}

export function pad(text: string, width: number): string {
  const t = clip(text, width);
  return t + " ".repeat(width - t.length);
}

export function fitValue(v: Value, width: number): string {
  if (v instanceof Tensor) return clip(fitTensor(v, width), width);
  // A record's type name ("result of charge_card") takes room its fields need more.
  if (v instanceof VRecord)
    return clip(`{${[...v.fields].map(([k, f]) => `${k}: ${formatValue(f)}`).join(", ")}}`, width);
  return clip(formatValue(v), width);
}

function fitTensor(t: Tensor, width: number): string {
  const head = `tensor[${t.shape.join("x")}](`;
  const parts: string[] = [];
  let used = head.length + 1;
  for (let i = 0; i < t.size; i++) {
    const s = String(+t.data[i]!.toPrecision(6));
    const more = i < t.size - 1 ? 3 : 0; // room for ", …"
    if (used + s.length + 2 + more > width && parts.length > 0) return `${head}${parts.join(", ")}, …)`;
    parts.push(s);
    used += s.length + 2;
  }
  return `${head}${parts.join(", ")})`;
}

/** Lines of at most `width`: items joined by ", ", the first line after `first`, the rest indented as deep. */
export function wrapItems(items: string[], width: number, first: string): string[] {
  const indent = " ".repeat(first.length);
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const piece = line === "" ? first + item : `${line}, ${item}`;
    if (piece.length > width && line !== "") {
      lines.push(`${line},`);
      line = indent + item;
    } else line = piece;
  }
  if (line !== "") lines.push(line);
  return lines.map((l) => clip(l, width));
}

/** Word-wraps each line of `text` to `width`; continuation lines are indented by `indent`. */
export function wrap(text: string, width: number, indent = "  "): string {
  return text
    .split("\n")
    .map((line) => wrapLine(line, width, indent).join("\n"))
    .join("\n");
}

function wrapLine(line: string, width: number, indent: string): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let rest = line;
  let prefix = "";
  while ((prefix + rest).length > width) {
    const room = width - prefix.length;
    let cut = rest.lastIndexOf(" ", room);
    if (cut <= 0) cut = room;
    out.push(prefix + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    prefix = indent;
  }
  if (rest !== "") out.push(prefix + rest);
  return out;
}
