import type { Command } from "commander";
import { planned } from "../program.js";

// `vesper metrics`: its flags and help; the implementation is imported only when it runs.
export function registerMetrics(program: Command): void {
  planned(program, "metrics", "Prometheus metrics of executions, divergences and confidence", "differential testing (issue #6)");
}
