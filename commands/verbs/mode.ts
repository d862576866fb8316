import type { Command } from "commander";
import { planned } from "../program.js";

// `vesper mode`: its flags and help; the implementation is imported only when it runs.
export function registerMode(program: Command): void {
  planned(program, "mode <node_id>", "show or set a node's execution mode", "the migration controller (issue #6)");
}
