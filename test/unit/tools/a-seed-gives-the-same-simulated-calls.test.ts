// Recorded traces replay with their seeds, so the simulated services must answer a
// seed exactly as they always have: the same ids, statuses, amounts, latencies,
// failures, retries and time-outs, and the context's random() the same numbers after
// them. The golden transcript was made by the same script from the build before the
// services' per-call work was made cheaper (test/helpers/sim-call-transcript.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ExecutionContext } from "../../../src/runtime/context.js";
import { defaultTools } from "../../../src/tools/index.js";
import { Decimal } from "../../../src/values/decimal.js";
import { VRecord } from "../../../src/values/values.js";
import { type SimModules, transcript } from "../../helpers/sim-call-transcript.js";

const golden = JSON.parse(readFileSync("test/fixtures/sim-calls/golden.json", "utf8")) as unknown[];

describe("simulated tool calls for a seed", () => {
  it("are exactly the calls the earlier build made for the same seeds and behaviours", async () => {
    const now = await transcript({ ExecutionContext, defaultTools, VRecord, Decimal } as unknown as SimModules);
    expect(now.length).toBe(golden.length);
    for (let i = 0; i < now.length; i++) expect(now[i]).toEqual(golden[i]);
  });
});
