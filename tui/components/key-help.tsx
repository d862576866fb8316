// The `?` view: every key that works now, the shell's and the focused pane's, in
// two groups, each key beside what it does; descriptions wrap at word boundaries.

import { Box, Text } from "ink";
import type { KeyHint } from "../pane.js";
import { fitCell, wrapWords } from "./text.js";

export interface KeyHelpProps {
  paneTitle: string;
  paneKeys: KeyHint[];
  shellKeys: KeyHint[];
  width: number;
  height: number;
  color: boolean;
}

export function KeyHelp({ paneTitle, paneKeys, shellKeys, width, height, color }: KeyHelpProps) {
  const keyWidth = Math.min(14, Math.max(...[...paneKeys, ...shellKeys].map((k) => k.keys.length), 3) + 2);
  const lines: { text: string; heading?: boolean }[] = [];
  const group = (title: string, keys: KeyHint[]) => {
    lines.push({ text: title, heading: true });
    if (keys.length === 0) lines.push({ text: "  (no keys of its own)" });
    for (const k of keys) {
      const said = wrapWords(k.does, Math.max(10, width - keyWidth - 2));
      said.forEach((part, i) => lines.push({ text: `  ${fitCell(i === 0 ? k.keys : "", keyWidth)}${part}` }));
    }
    lines.push({ text: "" });
  };
  group(`${paneTitle} pane`, paneKeys);
  group("Everywhere", shellKeys);
  lines.push({ text: "Esc or ? closes this help." });
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {lines.slice(0, height).map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positions
        <Text key={i} bold={l.heading} color={color && l.heading ? "cyan" : undefined}>
          {l.text}
        </Text>
      ))}
    </Box>
  );
}
