import type { Edit } from "./edit.js";
import { EditError, editStep } from "./edit-step.js";
import { parseInputAssignment } from "../../runtime/input-text.js";
import { InvalidNodeError, prepareSource, type PreparedNode } from "../../runtime/prepared.js";
import { formatValue, type Value } from "../../values/values.js";

// The edits a replay session has made, and the node and inputs they make. No I/O:
// a step edit changes only the characters of one value in the node's text (see
// edit-step.ts), and the edited text is validated at once, so an edit that makes the
// node invalid is refused where it is made, with its diagnostic, and leaves the
// edits as they were. Input edits are read by the input's declared type.

export class NodeEdits {
  private readonly list: Edit[] = [];
  private editedText: string;
  private editedNode: PreparedNode;
  private readonly editedInputs: Map<string, Value>;

  /** `source` is the text `node` was prepared from; `file` names it in diagnostics. */
  constructor(
    private readonly file: string,
    source: string,
    private readonly original: PreparedNode,
    inputs: ReadonlyMap<string, Value>,
  ) {
    this.editedText = source;
    this.editedNode = original;
    this.editedInputs = new Map(inputs);
  }

  /** Every edit, in the order made. */
  get edits(): readonly Edit[] {
    return this.list;
  }

  /** The node file's text with every step edit applied. */
  get text(): string {
    return this.editedText;
  }

  /** The edited node, validated. */
  get node(): PreparedNode {
    return this.editedNode;
  }

  /** The inputs with every input edit applied. */
  get inputs(): ReadonlyMap<string, Value> {
    return this.editedInputs;
  }

  /** Sets PARAM of the step that ran as event `index`. Throws EditError (usage) when it cannot be made. */
  editStep(index: number, stepName: string, param: string, value: string): Edit {
    const change = editStep(this.editedText, stepName, param, value);
    let node: PreparedNode;
    try {
      node = prepareSource(this.file, change.text);
    } catch (err) {
      if (!(err instanceof InvalidNodeError)) throw err;
      const d = err.diagnostics.find((x) => x.severity === "error") ?? err.diagnostics[0]!;
      throw new EditError(`the edit makes the node invalid: ${d.file}:${d.line}:${d.col}: ${d.code}: ${d.message}`);
    }
    this.editedText = change.text;
    this.editedNode = node;
    return this.add({
      index,
      step: stepName,
      kind: "step",
      param: change.path.join("."),
      value,
      before: change.before,
      after: change.after,
    });
  }

  /** Sets input `name` to `value`, read by its declared type. Throws InputError when it does not fit. */
  editInput(name: string, value: string): Edit {
    const [input, v] = parseInputAssignment(this.original, `${name}=${value}`);
    const before = this.editedInputs.get(input);
    this.editedInputs.set(input, v);
    return this.add({
      index: 0,
      step: "enter",
      kind: "input",
      param: input,
      value,
      before: before === undefined ? "unset" : formatValue(before),
      after: formatValue(v),
    });
  }

  private add(edit: Edit): Edit {
    this.list.push(edit);
    return edit;
  }
}
