// TensorFlow.js and Emscripten talk on the console and on process-wide hooks while a
// backend starts: warnings on a failed start, and an uncaughtException handler that
// rethrows (turning any later stray error into a crash with a stack trace). Engine
// start-up runs inside `quietly` so that what they say becomes a reason we report,
// and the hooks they add are taken off again.

type Method = "log" | "warn" | "error" | "info";
const METHODS: Method[] = ["log", "warn", "error", "info"];
const HOOKS = ["uncaughtException", "unhandledRejection"] as const;
type Listener = (...args: unknown[]) => void;
const listenersOf = (hook: (typeof HOOKS)[number]) => process.listeners(hook as "uncaughtException") as Listener[];

export interface Quieted<T> {
  value?: T;
  error?: unknown;
  /** Everything written to the console meanwhile, one entry per call. */
  said: string[];
}

export async function quietly<T>(fn: () => Promise<T> | T): Promise<Quieted<T>> {
  const said: string[] = [];
  const saved = METHODS.map((m) => [m, console[m]] as const);
  const before = new Map(HOOKS.map((h) => [h, new Set(listenersOf(h))]));
  for (const m of METHODS) console[m] = (...args: unknown[]) => void said.push(args.map(String).join(" "));
  try {
    return { value: await fn(), said };
  } catch (error) {
    return { error, said };
  } finally {
    for (const [m, f] of saved) console[m] = f;
    for (const h of HOOKS) {
      for (const listener of listenersOf(h)) {
        if (!before.get(h)!.has(listener)) process.removeListener(h, listener);
      }
    }
  }
}

/** A one-line reason from an error and what was said around it. */
export function reasonOf(error: unknown, said: string[] = []): string {
  const message =
    error instanceof Error
      ? error.message
      : error && typeof error === "object" && "message" in error
        ? String((error as { message: unknown }).message)
        : String(error ?? "");
  const first = said.map((s) => s.split("\n")[0]!.trim()).find((s) => s.length > 0);
  const text = message || first || "it did not start (no reason given)";
  return text.split("\n")[0]!.trim();
}
