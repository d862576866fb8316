// The seeded generator's streams are part of every recorded trace (a replay reseeds
// from the trace's seed), so a faster Rng must draw exactly the numbers of the
// original sfc32, copied here as the oracle: for any seed, any number of draws of
// each kind, after saving and restoring its state, and for a seed made again however
// much an earlier generator of it has drawn (no state may leak from one generator to
// the next).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashSeed, Rng } from "../../src/values/rng.js";

/** The generator as it was first written (state in a Uint32Array). */
class OracleRng {
  private s: Uint32Array;
  constructor(seed: number | bigint | string) {
    let x = hashSeed(seed);
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = Uint32Array.of(next(), next(), next(), next());
    for (let i = 0; i < 12; i++) this.nextUint32();
  }
  nextUint32(): number {
    const s = this.s;
    const t = (((s[0]! + s[1]!) >>> 0) + s[3]!) >>> 0;
    s[3] = (s[3]! + 1) >>> 0;
    s[0] = s[1]! ^ (s[1]! >>> 9);
    s[1] = (s[2]! + (s[2]! << 3)) >>> 0;
    s[2] = ((s[2]! << 21) | (s[2]! >>> 11)) >>> 0;
    s[2] = (s[2]! + t) >>> 0;
    return t;
  }
  next(): number {
    return this.nextUint32() / 4294967296;
  }
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  state(): number[] {
    return [...this.s];
  }
}

const seed = fc.oneof(fc.integer(), fc.bigInt(), fc.string(), fc.constantFrom(0, "0/services", "0/random"));
const draw = fc.constantFrom("u32", "next", "normal", "save");

describe("Rng", () => {
  it("draws the original generator's numbers for any seed and sequence of draws", () => {
    fc.assert(
      fc.property(seed, fc.array(draw, { maxLength: 60 }), (sd, draws) => {
        const a = new Rng(sd);
        const b = new OracleRng(sd);
        for (const d of draws) {
          if (d === "u32") expect(a.nextUint32()).toBe(b.nextUint32());
          else if (d === "next") expect(a.next()).toBe(b.next());
          else if (d === "normal") expect(a.normal()).toBe(b.normal());
          else {
            const saved = a.state();
            expect(saved).toEqual(b.state());
            const c = new Rng("another seed");
            c.setState(saved);
            expect(c.nextUint32()).toBe(a.nextUint32());
            b.nextUint32();
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("starts a seed made again where the seed starts, whatever its earlier generators drew", () => {
    fc.assert(
      fc.property(seed, fc.nat({ max: 40 }), fc.nat({ max: 40 }), (sd, first, second) => {
        const a = new Rng(sd);
        for (let i = 0; i < first; i++) a.nextUint32();
        const b = new Rng(sd);
        const o = new OracleRng(sd);
        for (let i = 0; i < second; i++) expect(b.nextUint32()).toBe(o.nextUint32());
        expect(new Rng(sd).state()).toEqual(new OracleRng(sd).state());
      }),
      { numRuns: 300 },
    );
  });

  it("keeps states whose words have the top bit set (every word is an unsigned 32-bit integer)", () => {
    const r = new Rng(1);
    r.setState([0xffffffff, 0x80000000, 0xfffffffe, 0xffffffff]);
    const o = new OracleRng(1);
    (o as unknown as { s: Uint32Array }).s = Uint32Array.of(0xffffffff, 0x80000000, 0xfffffffe, 0xffffffff);
    for (let i = 0; i < 50; i++) expect(r.nextUint32()).toBe(o.nextUint32());
    expect(r.state()).toEqual(o.state());
    for (const w of r.state()) expect(w >= 0 && w <= 0xffffffff && Number.isInteger(w)).toBe(true);
  });
});
