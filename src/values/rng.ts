// A small seeded pseudo-random generator (sfc32, seeded through splitmix32) whose
// whole state is four integers, so a run's randomness can be snapshotted, restored
// and replayed exactly. Math.random cannot be seeded or saved, hence our own.
// The four state words are plain numbers, each an unsigned 32-bit integer after every
// draw (a typed array per generator cost more to make than a run's draws): the streams
// are the ones the Uint32Array version drew, word for word
// (test/property/rng-streams-are-the-sfc32-streams-of-before.property.test.ts).

export type RngState = [number, number, number, number];

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | bigint | string = 0) {
    let x = hashSeed(seed);
    // splitmix32: spreads one seed over four well-mixed state words.
    x = (x + 0x9e3779b9) | 0;
    this.a = mix(x);
    x = (x + 0x9e3779b9) | 0;
    this.b = mix(x);
    x = (x + 0x9e3779b9) | 0;
    this.c = mix(x);
    x = (x + 0x9e3779b9) | 0;
    this.d = mix(x);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) >>> 0) + d) >>> 0;
    this.d = (d + 1) >>> 0;
    this.a = (b ^ (b >>> 9)) >>> 0;
    this.b = (c + (c << 3)) >>> 0;
    this.c = ((((c << 21) | (c >>> 11)) >>> 0) + t) >>> 0;
    return t;
  }

  /** A float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A standard normal sample (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  state(): RngState {
    return [this.a, this.b, this.c, this.d];
  }

  setState(state: RngState): void {
    this.a = state[0] >>> 0;
    this.b = state[1] >>> 0;
    this.c = state[2] >>> 0;
    this.d = state[3] >>> 0;
  }
}

function mix(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the seed's text: any seed (number, bigint, string) maps to 32 bits. */
export function hashSeed(seed: number | bigint | string): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
