import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstDifference } from "../../../../src/debug/replay/event-difference.js";
import { encodeValue } from "../../../../src/trace/value-codec.js";
import { VRecord } from "../../../../src/values/values.js";

// A replay that departs from its recording says where, down to the part that
// differs (a field of a record, an element of a call, a character of a message),
// with both values as the value formatter shows them: never two whole values cut
// off before the difference.

const charge = (status: string) =>
  encodeValue(
    new VRecord(
      "result of charge_card",
      new Map([
        ["id", "ch_0da0574f4891"],
        ["status", status],
      ]),
    ),
  );

const event = (extra: Record<string, unknown>) => ({ changed: [], effects: [], contracts: [], ...extra });

describe("firstDifference", () => {
  it("names the record field that differs, with both values", () => {
    const message = firstDifference(
      event({ changed: [["charge", charge("declined")]] }) as never,
      event({ changed: [["charge", charge("succeeded")]] }) as never,
    );
    expect(message).toBe('charge.status was "declined" when recorded, "succeeded" in the replay');
  });

  it("names the field of a call that differs", () => {
    const call = (attempts: number) => ({ tool: "sim.payments.charge", ok: false, attempts, elapsedMs: 9400 });
    expect(firstDifference(event({ unlisted: [call(3)] }) as never, event({ unlisted: [call(1)] }) as never)).toBe(
      "unlisted[0].attempts: 3 when recorded, 1 in the replay",
    );
  });

  it("shows a long message around its first different character", () => {
    const long = (tail: string) => ({
      code: "R208",
      message: `the node ran for 9400 ms (virtual), past performance.timeout_ms 5000, at step '${tail}'`,
    });
    const message = firstDifference(
      event({ error: long("charge_card") }) as never,
      event({ error: long("refund_card") }) as never,
    );
    expect(message).toMatch(/^error\.message: "….*'charge_card'" when recorded, "….*'refund_card'" in the replay$/);
  });

  it("property: for any two different strings at a path, both differing characters are shown", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        fc.pre(a !== b);
        const message = firstDifference(
          event({ error: { message: a } }) as never,
          event({ error: { message: b } }) as never,
        );
        expect(message.startsWith("error.message: ")).toBe(true);
        let p = 0;
        while (p < a.length && p < b.length && a[p] === b[p]) p++;
        // The first differing character (or the end of the shorter one) is inside what is shown.
        const shownA = JSON.stringify(a.slice(p, p + 1)).slice(1, -1);
        const shownB = JSON.stringify(b.slice(p, p + 1)).slice(1, -1);
        const [recorded, replayed] = message.slice("error.message: ".length).split(" when recorded, ");
        expect(recorded).toContain(shownA);
        expect(replayed).toContain(shownB);
      }),
    );
  });
});
