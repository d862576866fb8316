// Checkpoints: the trainer's whole state as bytes, restored bit for bit. The state is
// plain data (numbers, strings, arrays, objects) plus Float32Arrays (weights); the
// arrays are stored as base64 of their bytes, everything else as JSON, whose numbers
// round-trip exactly in JavaScript. Encoding the decoded bytes gives the same bytes.

const F32 = "$f32";
const FORMAT = "vesper-seeds-checkpoint/1";

export function encodeState(state: unknown): Uint8Array {
  const json = JSON.stringify({ format: FORMAT, state }, (_key, value: unknown) =>
    value instanceof Float32Array
      ? { [F32]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") }
      : value,
  );
  return new TextEncoder().encode(json);
}

export function decodeState<T>(bytes: Uint8Array): T {
  const parsed = JSON.parse(new TextDecoder().decode(bytes), (_key, value: unknown) => {
    if (value && typeof value === "object" && F32 in value) {
      const buf = Buffer.from((value as Record<string, string>)[F32]!, "base64");
      const out = new Float32Array(buf.byteLength / 4);
      new Uint8Array(out.buffer).set(buf);
      return out;
    }
    return value;
  }) as { format?: string; state: T };
  if (parsed.format !== FORMAT) throw new Error(`not a seeds checkpoint (format ${String(parsed.format)})`);
  return parsed.state;
}
