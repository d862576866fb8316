import type { Command } from "commander";
import { planned } from "../program.js";

// `vesper test`: its flags and help; the implementation is imported only when it runs.
export function registerTest(program: Command): void {
  planned(program, "test <file>", "differential testing: how often the runtimes agree, and a confidence bound", "differential testing (issue #6)");
}
