// Lookup tables keyed by names that come from users (.vsp files, typed commands):
// a table made here has no prototype, so only its own keys are found — 'toString',
// 'constructor' or '__proto__' are unknown names, never Object.prototype's members.

/** A frozen, prototype-free copy of `entries`: `t[name]` is undefined for every name it does not list. */
export function ownTable<T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** An empty, prototype-free object to fill with user-chosen keys. */
export function emptyTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
