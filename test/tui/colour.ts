// What the TUI tests check about colour: the SGR parameters in a frame that set a
// colour (30–38, 40–48, 90–97, 100–107), as opposed to bold, dim, inverse and resets.

const SGR = new RegExp(`${String.fromCharCode(27)}\\[([0-9;]*)m`, "g");

/** Every colour-setting SGR parameter in the text. */
export function colourCodes(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(SGR)) {
    for (const p of m[1]!.split(";")) {
      const n = Number(p);
      if ((n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107)) found.push(p);
    }
  }
  return found;
}

export const INVERSE = "\u001B[7m";
