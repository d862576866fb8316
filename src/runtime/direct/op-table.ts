import * as ops from "./ops.js";

// The operations compiled code calls, looked up when a node is compiled. A plain
// object rather than the module namespace so that a test fixture can swap in a
// deliberately wrong variant of one operation (to prove the debugger and the
// differential tester find it). No command offers this to users.
export const directOps: { -readonly [K in keyof typeof ops]: (typeof ops)[K] } = { ...ops };
