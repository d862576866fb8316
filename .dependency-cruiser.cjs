// Architecture rules, checked in CI (`npm run lint:deps`). The layout they keep true
// is described in docs/architecture.md.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "src-never-imports-front-ends",
      comment: "src/ is UI-free: commands/ and tui/ call it, never the other way round.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(commands|tui)/" },
    },
    {
      name: "no-folder-cycles",
      comment: "Folders inside src/ form layers: no two of them may import each other, directly or round a loop.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
      scope: "folder",
    },
    {
      name: "no-module-cycles",
      comment: "No module reaches itself through its imports.",
      severity: "error",
      from: { path: "^(src|commands|tui)/" },
      to: { circular: true },
    },
    {
      name: "engine-does-not-import-runtime",
      comment: "The engine is below the runtimes: it knows tensors, not steps.",
      severity: "error",
      from: { path: "^src/engine/" },
      to: { path: "^src/runtime/" },
    },
    {
      name: "values-is-the-bottom",
      comment: "src/values holds the ground-level value and type modules; it imports no other folder of src/.",
      severity: "error",
      from: { path: "^src/values/" },
      to: { path: "^src/", pathNot: "^src/values/" },
    },
    {
      name: "front-ends-call-the-workbench",
      comment:
        "commands/ and tui/ reach behaviour only through src/workbench; below it they may use values, the config's store path, opening the store, and types.",
      severity: "error",
      from: { path: "^(commands|tui)/" },
      to: {
        path: "^src/",
        pathNot: "^src/(workbench|values|config)/|^src/store/store\\.ts$|^src/runtime/mode-names\\.ts$",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "seeds-stand-on-engine-store-config",
      comment:
        "src/seeds (trainer, policy, lifecycle, gates, telemetry) builds on the engine, the store and the config only; the workbench joins it to nodes and runtimes.",
      severity: "error",
      from: { path: "^src/seeds/" },
      to: { path: "^src/", pathNot: "^src/(seeds|engine|store|config|values)/" },
    },
    {
      name: "tui-shares-only-wording-with-commands",
      comment:
        "The TUI takes from commands/ only the *-format.ts wording modules (pure text, so a pane and its command say the same); never a verb.",
      severity: "error",
      from: { path: "^tui/" },
      to: { path: "^commands/", pathNot: "^commands/[a-z-]+-format\\.ts$" },
    },
    {
      name: "sql-stays-in-the-store",
      comment:
        "Only src/store (opening the file, migrations, follow), src/trace (the trace tables) and src/seeds/telemetry-* (the seed tables) talk to SQLite.",
      severity: "error",
      from: { path: "^(src|commands|tui)/", pathNot: "^src/(store|trace)/|^src/seeds/telemetry-" },
      to: { path: "better-sqlite3" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.build.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
