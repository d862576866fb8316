import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from "yaml";
import type { ErrorCode } from "../values/error-codes.js";
import { ConfigError } from "./config-error.js";
import { configText } from "./config.js";
import { CONFIG_FILE, findProject } from "./project.js";
import { didYouMean } from "../values/suggest.js";

// The `seeds:` section of veyra.config.yaml (or of the file `--config FILE` names):
// every setting of a seed run, with its default. Precedence, as for the store: a flag,
// then a VEYRA_SEEDS_* variable (dataset, epochs, seed), then the file, then the
// default; defaults depend on the dataset (MNIST's host is deliberately narrow so
// seeds have capacity to add; the spirals defaults are small and quick). Unknown keys
// and wrong types are errors with file:line:col. YAML keys are snake_case; the
// settings here are their camelCase names. `origins` says where each setting came
// from, so a later check (an unknown blueprint) can name the place.

export type SeedsDataset = "mnist" | "spirals";
export type SeedsRiskTier = "safe" | "experimental" | "high_risk";

export interface SeedsConfig {
  dataset: SeedsDataset;
  epochs: number;
  seed: number;
  batchSize: number;
  learningRate: number;
  /** The seeds' own learning rate while they train in isolation. */
  seedLearningRate: number;
  /** Hidden widths of the host MLP; a seed slot sits at every layer boundary. */
  hostHidden: number[];
  /** The blueprints the policy may germinate, in order of preference. */
  blueprints: string[];
  /** The riskiest tier the policy may germinate. */
  maxRisk: SeedsRiskTier;
  lifecycle: {
    minTrainingEpochs: number;
    maxTrainingEpochs: number;
    graftEpochs: number;
    stabilizationEpochs: number;
    fineTuneEpochs: number;
  };
  policy: {
    /** Epochs before the first germination. */
    warmupEpochs: number;
    /** The plateau is the relative change of validation loss over this many epochs. */
    plateauWindow: number;
    /** Below this relative improvement the loss has plateaued. */
    plateauThreshold: number;
    /** Live seeds at once (at most one of them grafted). */
    maxActiveSeeds: number;
    /** Germinations per slot over a run. */
    maxSeedsPerSlot: number;
  };
  gates: {
    /** G0: the largest |output| a fresh seed may produce on real activations. */
    g0MaxInitOutput: number;
    /** G1: the largest gradient norm (over the seed's weights, any step of the epoch). */
    g1MaxGradNorm: number;
    /** G2: the largest relative change of the seed's epoch loss that counts as settled. */
    g2MaxLossChange: number;
    /** G3: rows of real activations compared against the reference runtime. */
    g3Rows: number;
    /** G4: the most validation accuracy (fraction) the host may lose while a seed is grafting. */
    g4MaxDrop: number;
    /** G4 at EVALUATING: the least validation accuracy gain (fraction) that keeps a seed. */
    g4MinImprovement: number;
    /** Breaker: a step loss above this multiple of the epoch's running mean, or not finite, trips it. */
    breakerLossFactor: number;
  };
  /** Where each setting came from (dotted camelCase path → "file:line:col", "--flag", "VEYRA_…", or "default"). */
  origins: Record<string, string>;
}

type Kind =
  | { kind: "int"; min: number; max?: number }
  | { kind: "number"; min: number; max?: number }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "ints"; min: number }
  | { kind: "strings" };

const SCHEMA: Record<string, Kind | Record<string, Kind>> = {
  dataset: { kind: "enum", values: ["mnist", "spirals"] },
  epochs: { kind: "int", min: 1, max: 10_000 },
  seed: { kind: "int", min: 0, max: 2 ** 32 - 1 },
  batchSize: { kind: "int", min: 1, max: 65_536 },
  learningRate: { kind: "number", min: 0 },
  seedLearningRate: { kind: "number", min: 0 },
  hostHidden: { kind: "ints", min: 1 },
  blueprints: { kind: "strings" },
  maxRisk: { kind: "enum", values: ["safe", "experimental", "high_risk"] },
  lifecycle: {
    minTrainingEpochs: { kind: "int", min: 0 },
    maxTrainingEpochs: { kind: "int", min: 1 },
    graftEpochs: { kind: "int", min: 1 },
    stabilizationEpochs: { kind: "int", min: 0 },
    fineTuneEpochs: { kind: "int", min: 0 },
  },
  policy: {
    warmupEpochs: { kind: "int", min: 0 },
    plateauWindow: { kind: "int", min: 1 },
    plateauThreshold: { kind: "number", min: 0 },
    maxActiveSeeds: { kind: "int", min: 1 },
    maxSeedsPerSlot: { kind: "int", min: 0 },
  },
  gates: {
    g0MaxInitOutput: { kind: "number", min: 0 },
    g1MaxGradNorm: { kind: "number", min: 0 },
    g2MaxLossChange: { kind: "number", min: 0 },
    g3Rows: { kind: "int", min: 1, max: 4096 },
    g4MaxDrop: { kind: "number", min: 0, max: 1 },
    g4MinImprovement: { kind: "number", min: -1, max: 1 },
    breakerLossFactor: { kind: "number", min: 1 },
  },
};

type Plain = Omit<SeedsConfig, "origins">;

const COMMON: Omit<Plain, "dataset" | "epochs" | "batchSize" | "learningRate" | "seedLearningRate" | "hostHidden"> = {
  seed: 1,
  blueprints: ["wider_block", "bottleneck_adapter", "low_rank_linear", "gated_unit"],
  maxRisk: "experimental",
  lifecycle: { minTrainingEpochs: 2, maxTrainingEpochs: 4, graftEpochs: 2, stabilizationEpochs: 1, fineTuneEpochs: 1 },
  policy: { warmupEpochs: 3, plateauWindow: 2, plateauThreshold: 0.15, maxActiveSeeds: 2, maxSeedsPerSlot: 2 },
  gates: {
    g0MaxInitOutput: 100,
    g1MaxGradNorm: 50,
    g2MaxLossChange: 0.1,
    g3Rows: 32,
    g4MaxDrop: 0.03,
    g4MinImprovement: 0.002,
    breakerLossFactor: 8,
  },
};

/** The built-in settings for a dataset. */
export function defaultSeedsConfig(dataset: SeedsDataset): Plain {
  if (dataset === "spirals")
    return {
      ...clone(COMMON),
      dataset,
      epochs: 18,
      batchSize: 16,
      learningRate: 0.2,
      seedLearningRate: 0.3,
      hostHidden: [2],
    };
  return {
    ...clone(COMMON),
    dataset,
    epochs: 20,
    batchSize: 64,
    learningRate: 0.1,
    seedLearningRate: 0.2,
    hostHidden: [4],
  };
}

export interface SeedsFlags {
  dataset?: string;
  epochs?: number;
  seed?: number;
}

/**
 * The seeds settings: defaults for the dataset, then the file's `seeds:` section,
 * then VEYRA_SEEDS_* variables, then flags. `configFile` is --config; without it the
 * project's veyra.config.yaml (or VEYRA_CONFIG) is read when there is one.
 */
export function loadSeedsConfig(
  flags: SeedsFlags,
  configFile: string | undefined,
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): SeedsConfig {
  const file = configFile ? resolve(cwd, configFile) : defaultFile(cwd, env);
  if (configFile && !existsSync(file!)) throw new ConfigError(`--config names ${file}, which does not exist`);
  const fromFile = file ? readSeedsSection(file) : { values: {}, origins: {} };
  const envValues: Record<string, unknown> = {};
  const envOrigins: Record<string, string> = {};
  for (const [key, name] of [
    ["dataset", "VEYRA_SEEDS_DATASET"],
    ["epochs", "VEYRA_SEEDS_EPOCHS"],
    ["seed", "VEYRA_SEEDS_SEED"],
  ] as const) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    // Whole numbers are digits only, as for the flags (not "0x10", "1e1" or "abc" read as NaN).
    envValues[key] = key === "dataset" || !/^\d+$/.test(raw.trim()) ? raw : Number(raw);
    envOrigins[key] = name;
  }
  const flagValues: Record<string, unknown> = {};
  const flagOrigins: Record<string, string> = {};
  for (const key of ["dataset", "epochs", "seed"] as const) {
    if (flags[key] === undefined) continue;
    flagValues[key] = flags[key];
    flagOrigins[key] = `--${key}`;
  }
  const layered = { ...fromFile.values, ...envValues, ...flagValues };
  const origins: Record<string, string> = { ...fromFile.origins, ...envOrigins, ...flagOrigins };
  for (const key of ["dataset", "epochs", "seed"])
    if (key in envValues || key in flagValues) checkValue(key, SCHEMA[key] as Kind, layered[key], origins[key]!);
  const dataset = (layered.dataset as SeedsDataset | undefined) ?? "mnist";
  const config = defaultSeedsConfig(dataset) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(layered)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      Object.assign(config[key] as Record<string, unknown>, value);
    else config[key] = value;
  }
  const result = config as unknown as SeedsConfig;
  result.origins = origins;
  if (result.lifecycle.maxTrainingEpochs < result.lifecycle.minTrainingEpochs)
    throw new ConfigError(
      `${origins["lifecycle.maxTrainingEpochs"] ?? origins["lifecycle.minTrainingEpochs"] ?? "seeds"}: lifecycle.max_training_epochs (${result.lifecycle.maxTrainingEpochs}) is below min_training_epochs (${result.lifecycle.minTrainingEpochs})`,
    );
  return result;
}

/**
 * Settings that arrive as data (a resumed checkpoint's): every key of the schema, each
 * value checked as a file's would be, nothing else; a problem is a ConfigError with
 * `code` whose message starts with `where`. Returns the settings (origins kept when
 * they are strings).
 */
export function checkSeedsSettings(value: unknown, where: string, code: ErrorCode): SeedsConfig {
  const walk = (v: unknown, schema: Record<string, Kind | Record<string, Kind>>, prefix: string) => {
    if (v === null || typeof v !== "object" || Array.isArray(v))
      throw new ConfigError(`${where}: '${snake(prefix) || "seeds"}' is not a mapping of settings`, code);
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record))
      if (!Object.hasOwn(schema, key) && !(prefix === "" && key === "origins"))
        throw new ConfigError(`${where}: unknown seeds setting '${snake(prefix ? `${prefix}.${key}` : key)}'`, code);
    for (const [key, kind] of Object.entries(schema)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if ("kind" in kind) checkValue(path, kind as Kind, record[key], where, code);
      else walk(record[key], kind as Record<string, Kind>, path);
    }
  };
  walk(value, SCHEMA, "");
  const config = clone(value) as SeedsConfig;
  const origins = (value as { origins?: unknown }).origins;
  config.origins =
    origins && typeof origins === "object" && Object.values(origins).every((o) => typeof o === "string")
      ? { ...(origins as Record<string, string>) }
      : {};
  if (config.lifecycle.maxTrainingEpochs < config.lifecycle.minTrainingEpochs)
    throw new ConfigError(`${where}: lifecycle.max_training_epochs is below min_training_epochs`, code);
  return config;
}

/** The settings as plain JSON with snake_case keys, as a run header records them. */
export function seedsConfigJson(config: SeedsConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "origins") continue;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const inner: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) inner[snake(k)] = v;
      out[snake(key)] = inner;
    } else out[snake(key)] = value;
  }
  return out;
}

function defaultFile(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.VEYRA_CONFIG) {
    const named = resolve(cwd, env.VEYRA_CONFIG);
    if (!existsSync(named)) throw new ConfigError(`VEYRA_CONFIG names ${named}, which does not exist`);
    return named;
  }
  const project = findProject(cwd);
  const file = join(project ?? cwd, CONFIG_FILE);
  return existsSync(file) ? file : undefined;
}

function readSeedsSection(file: string): { values: Record<string, unknown>; origins: Record<string, string> } {
  const lines = new LineCounter();
  const doc = parseDocument(configText(file), { lineCounter: lines });
  const at = (node: { range?: [number, number, number] | null } | null | undefined) => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const { line, col } = lines.linePos(doc.errors[0]!.pos[0]);
    throw new ConfigError(`${file}:${line}:${col}: ${doc.errors[0]!.message.split("\n")[0]!.replace(/:$/, "")}`);
  }
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  if (doc.contents === null || !isMap(doc.contents)) return { values, origins };
  const section = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === "seeds");
  if (!section || section.value === null) return { values, origins };
  if (!isMap(section.value))
    throw new ConfigError(`${at(section.value as YamlNode)}: 'seeds' must be a mapping of settings`);
  readMapping(section.value.items as Pair[], SCHEMA, "", values, origins, at);
  return { values, origins };
}

function readMapping(
  items: Pair[],
  schema: Record<string, Kind | Record<string, Kind>>,
  prefix: string,
  values: Record<string, unknown>,
  origins: Record<string, string>,
  at: (node: { range?: [number, number, number] | null } | null | undefined) => string,
): void {
  const yamlKeys = Object.keys(schema).map(snake);
  for (const pair of items) {
    const keyNode = pair.key as YamlNode;
    const yamlKey = isScalar(keyNode) ? String(keyNode.value) : "";
    const key = camel(yamlKey);
    const path = prefix ? `${prefix}.${key}` : key;
    const shown = prefix ? `${snake(prefix)}.${yamlKey}` : yamlKey;
    const kind = schema[key];
    // Keys are snake_case only: `batchSize` is not another spelling of `batch_size`.
    if (!kind || !Object.hasOwn(schema, key) || snake(key) !== yamlKey)
      throw new ConfigError(
        `${at(keyNode)}: unknown seeds setting '${shown}'${didYouMean(yamlKey, yamlKeys)} (settings here: ${yamlKeys.join(", ")})`,
      );
    const valueNode = pair.value as YamlNode | null;
    const where = at(valueNode ?? keyNode);
    if (!("kind" in kind)) {
      if (!valueNode || !isMap(valueNode)) throw new ConfigError(`${where}: '${shown}' must be a mapping of settings`);
      const inner: Record<string, unknown> = {};
      readMapping(valueNode.items as Pair[], kind as Record<string, Kind>, path, inner, origins, at);
      values[key] = inner;
      continue;
    }
    const plain = valueNode ? (valueNode as { toJSON(): unknown }).toJSON() : null;
    if ((kind.kind === "ints" || kind.kind === "strings") && valueNode && !isSeq(valueNode))
      throw new ConfigError(`${where}: '${shown}' must be a list`);
    checkValue(shown, kind as Kind, plain, where);
    values[key] = plain;
    origins[path] = where;
  }
}

function checkValue(name: string, kind: Kind, value: unknown, where: string, code: ErrorCode = "U101"): void {
  const fail = (want: string) => {
    const got = typeof value === "number" && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
    throw new ConfigError(`${where}: '${snake(name)}' must be ${want} (got ${got})`, code);
  };
  switch (kind.kind) {
    case "int":
      if (
        typeof value !== "number" ||
        !Number.isInteger(value) ||
        value < kind.min ||
        (kind.max !== undefined && value > kind.max)
      )
        fail(`a whole number from ${kind.min}${kind.max !== undefined ? ` to ${kind.max}` : ""}`);
      return;
    case "number":
      if (
        typeof value !== "number" ||
        !Number.isFinite(value) ||
        value < kind.min ||
        (kind.max !== undefined && value > kind.max)
      )
        fail(`a number from ${kind.min}${kind.max !== undefined ? ` to ${kind.max}` : ""}`);
      return;
    case "enum":
      if (typeof value !== "string" || !kind.values.includes(value)) fail(`one of ${kind.values.join(", ")}`);
      return;
    case "ints":
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        value.some((v) => typeof v !== "number" || !Number.isInteger(v) || v < kind.min)
      )
        fail(`a non-empty list of whole numbers ≥ ${kind.min}`);
      return;
    case "strings":
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== "string" || v === ""))
        fail("a non-empty list of names");
      return;
  }
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
