// Imported first by the TUI's component tests: Ink's chalk decides its colour level
// when it loads, and a test worker's stdout is no terminal, so without this every
// frame would lack colour codes and a NO_COLOR test could not fail.
process.env.FORCE_COLOR = "1";
