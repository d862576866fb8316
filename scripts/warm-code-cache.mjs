// Makes the V8 code cache of a bundled program (dist/bundle/vesper.cjs.v8cache):
// loads the bundle without a cache, runs the commands whose start-up matters (help,
// validate, a recorded run of an example, into a store in a temporary folder), then
// writes what V8 compiled meanwhile, headed by the bundle's build id. Run by
// scripts/bundle.mjs with standard output ignored. Usage: node warm-code-cache.mjs BUNDLE
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheFileOf, cacheHeader, loadBundle } from "../bin/load-bundle.js";

const bundle = process.argv[2];
const { exports, script, buildId } = loadBundle(bundle, { useCache: false });
if (!buildId) throw new Error(`${bundle} does not start with its build id`);

const dir = mkdtempSync(join(tmpdir(), "vesper-code-cache-"));
const store = join(dir, "vesper.db");
try {
  for (const args of [
    ["--help"],
    ["validate", "examples/payment.vsp"],
    ["run", "examples/payment.vsp", "--store", store],
    ["run", "examples/payment.vsp", "--store", store, "--json"],
  ]) {
    await exports.main([process.execPath, "vesper", ...args]);
    if (process.exitCode)
      throw new Error(`vesper ${args.join(" ")} exited ${process.exitCode} while warming the cache`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(cacheFileOf(bundle), Buffer.concat([cacheHeader(buildId), script.createCachedData()]));
