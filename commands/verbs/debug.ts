import type { Command } from "commander";
import { planned } from "../program.js";

// `vesper debug`: its flags and help; the implementation is imported only when it runs.
export function registerDebug(program: Command): void {
  planned(program, "debug <file>", "step the two runtimes side by side (--comparative) and stop where they diverge", "the comparative debugger (issue #5)");
}
