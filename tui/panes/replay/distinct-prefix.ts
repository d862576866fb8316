// The shortest length, at least `min`, at which the given ids' prefixes are all
// distinct: what the trace list shows of each id. One process's trace ids share
// their middle digits (docs/trace-store.md, "Trace ids and pages"), so a fixed
// short prefix could show two traces of one list under the same name.

export function distinctPrefixLength(ids: readonly string[], min: number): number {
  const sorted = [...new Set(ids)].sort();
  let length = min;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    let same = 0;
    while (same < a.length && a[same] === b[same]) same++;
    // One more than what two neighbours share tells them apart (sorted, so neighbours
    // share the longest prefixes); an id that is a prefix of another is shown whole.
    length = Math.max(length, Math.min(same + 1, Math.max(a.length, b.length)));
  }
  return length;
}
