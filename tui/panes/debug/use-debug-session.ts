// Opens the comparative debug session for the debug pane and closes it when the
// node, the sample or the store changes, or the pane goes away (close() finishes
// the recorded pair: an unfinished run stays recorded, marked incomplete). The
// session records to the pane's store like `vesper debug` does, so the two runs
// appear in the Replay pane. A node that cannot be opened gives the error's text.

import { readFileSync } from "node:fs";
import { useEffect, useState } from "react";
import {
  type DebugSession,
  formatDiagnostic,
  InvalidNodeError,
  openDebugSession,
  type StoreRef,
} from "../../../src/workbench/index.js";

export interface Opened {
  session: DebugSession;
  source: string[];
  /** The sample the inputs came from; undefined when the node has none. */
  sample: string | undefined;
  samples: string[];
}

export type Opening = { kind: "none" } | { kind: "open"; opened: Opened } | { kind: "failed"; message: string[] };

export function useDebugSession(
  file: string | undefined,
  sample: string | undefined,
  store: StoreRef,
  /** Bumped to open the same session afresh. */
  generation: number,
): Opening {
  const [state, setState] = useState<Opening>({ kind: "none" });
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation reopens the session on purpose
  useEffect(() => {
    if (file === undefined) {
      setState({ kind: "none" });
      return;
    }
    let session: DebugSession | undefined;
    try {
      session = openDebugSession({ node: file, inputs: sample ? { sample } : {}, record: true, store });
      const samples = session.node.node.samples.map((s) => s.name);
      setState({
        kind: "open",
        opened: {
          session,
          source: readFileSync(session.node.node.file, "utf8").split("\n"),
          sample: sample ?? samples[0],
          samples,
        },
      });
    } catch (err) {
      setState({ kind: "failed", message: describeFailure(err) });
    }
    return () => session?.close();
  }, [file, sample, store, generation]);
  return state;
}

function describeFailure(err: unknown): string[] {
  if (err instanceof InvalidNodeError)
    return [err.message, ...err.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))];
  return [err instanceof Error ? err.message : String(err)];
}
