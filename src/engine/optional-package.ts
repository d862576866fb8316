import { createRequire } from "node:module";

// Optional backends are packages the project does not depend on. Whether one is
// installed is answered by resolving its name from here, without loading it.

const require = createRequire(import.meta.url);

export function isInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Loads an optional package; the specifier is a variable so TypeScript does not need its types. */
export async function importOptional<T = Record<string, unknown>>(name: string): Promise<T> {
  const specifier: string = name;
  return (await import(specifier)) as T;
}
