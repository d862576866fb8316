// One edit a replay session made before forking: to a parameter of a step (which
// changes the node's text) or to an input (which changes only what the fork is
// given). A fork records its edits with the trace (fork_change), so replaying the
// fork re-applies the step edits to its parent's file. Its own file so that the
// session, the fork and the edit list depend on it and not on each other.

export interface Edit {
  /** The event index the user named (0 for an input). */
  index: number;
  /** The step's name (`enter` for an input). */
  step: string;
  kind: "step" | "input";
  /** The resolved parameter path (e.g. `set.fee`), or the input's name. */
  param: string;
  /** The value as the user typed it (what re-applying the edit needs). */
  value: string;
  /** The value's text before and after the edit, as the node file (or an input) shows it. */
  before: string;
  after: string;
}
