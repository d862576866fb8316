// The outside oracle's tensor cases on the TensorFlow.js cpu backend (a file of its own:
// TensorFlow.js has one active backend per process). See test/helpers/tensor-oracle-on-an-engine.ts.
import { describe } from "vitest";
import { oracleCasesOn } from "../../helpers/tensor-oracle-on-an-engine.js";

describe("the direct runtime on TensorFlow.js cpu", () => oracleCasesOn("cpu"));
