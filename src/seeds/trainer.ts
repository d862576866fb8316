import type * as TF from "@tensorflow/tfjs";
import type { SeedsConfig } from "../config/seeds-config.js";
import { UsageError, VesperError } from "../values/errors.js";
import { Tensor } from "../values/values.js";
import { graftAlpha, type Blended, blendSlots } from "./blending.js";
import { type BlueprintSpec, findBlueprint, parameterCount, weightShape } from "./blueprints.js";
import { decodeState, encodeState } from "./checkpoint.js";
import { type DataSplits, epochOrder, type Split } from "./data.js";
import * as G from "./gates.js";
import { crossEntropy, differingValues, Host, type SlotInfo } from "./host.js";
import type { KernelPlan } from "./kernel-plan.js";
import { isActive, isGrafted } from "./lifecycle.js";
import { decide, plateauOf, type SlotState, type SystemState } from "./policy.js";
import { type RestoreContext, refuseRestoredSeed } from "./restore-check.js";
import type { EpochRecord, GateName, SeedEvent, Series, StepRecord } from "./records.js";
import { type GateOutcome, SeedManager, type SeedState } from "./seed-manager.js";
import { SeedModule } from "./seed-module.js";

// The trainer: the epoch loop. Each epoch it trains the host (with every grafted or
// fossilized seed blended in) and every TRAINING seed in isolation, evaluates, lets
// the seed manager run the per-epoch gates, sends the system state to the policy and
// applies its commands, then records the epoch and a checkpoint.
//
// Gradient isolation, by construction and checked: a TRAINING seed's step computes
// the loss of the network with the seed joined at alpha 1 and takes gradients of its
// own weights only; the host's step runs on the host alone (plus seeds already
// grafted), so the host's trajectory is the one it would have without the TRAINING
// seed, bit for bit. On each epoch's first batch the host's weights are read before
// and after every seed step; a difference is an `isolation` event with ok false and
// trips the breaker. A non-finite or exploding step loss also trips it: the seed is
// rolled back (the host restored from its pre-graft snapshot if it was blended in)
// and training goes on.

type Tf = typeof TF;

/** A blueprint as the trainer uses it: the catalog entry and its forward pass (from the blueprint node). */
export interface BlueprintSource {
  spec: BlueprintSpec;
  plan: KernelPlan;
}

/** What G3 asks the reference side: the blueprint node run on real activations and the seed's weights. */
export interface InterfaceRequest {
  blueprint: string;
  activations: Tensor;
  weights: { name: string; shape: number[]; data: Float32Array }[];
  /** The engine's float32 forward of the same rows. */
  engineOutput: Tensor;
}

/** May be asynchronous (the reference runtime is); the trainer measures it before the policy's commands apply. */
export type InterfaceCheck = (request: InterfaceRequest) => G.InterfaceReport | Promise<G.InterfaceReport>;

/** Where the trainer's records go (the recorder assigns sequence numbers and times). */
export interface TrainerOutput {
  event(series: Series, epoch: number, event: SeedEvent): void;
  steps(records: StepRecord[]): void;
  epoch(record: EpochRecord): void;
}

export interface TrainerOptions {
  tf: Tf;
  config: SeedsConfig;
  data: DataSplits;
  blueprints: readonly BlueprintSource[];
  interfaceCheck: InterfaceCheck;
  runId: string;
  series: Series;
  /** False for the baseline: the same host and batches, no policy, no seeds. */
  seedsEnabled: boolean;
  output: TrainerOutput;
  /** Called between batches (every 16) so an abort signal can be noticed; may return a promise. */
  yieldEvery?: () => Promise<void> | void;
}

interface SeedRuntime {
  module: SeedModule;
  losses: number[];
  epochLossSum: number;
  epochSteps: number;
  maxGradNorm: number;
  graftSteps: number;
  accuracyAtGraft: number;
  /** Host (and fossilized seeds') weights before the graft. */
  snapshot: Float32Array[] | null;
}

interface TrainerState {
  version: 1;
  runId: string;
  series: Series;
  epoch: number;
  host: Float32Array[];
  seeds: { state: SeedState; weights: Float32Array[]; rt: Omit<SeedRuntime, "module"> }[];
  counter: number;
  validationLosses: number[];
  validationAccuracy: number;
  germinated: Record<string, number>;
  germinations: number;
  extra: Record<string, unknown>;
}

/** The caller's data kept in a checkpoint (see Trainer.extra), without restoring it. */
export function trainerExtra(bytes: Uint8Array): Record<string, unknown> {
  return decodeState<TrainerState>(bytes).extra;
}

export class Trainer {
  readonly host: Host;
  readonly manager: SeedManager;
  private readonly tf: Tf;
  private readonly config: SeedsConfig;
  private readonly runtimes = new Map<string, SeedRuntime>();
  private readonly catalog: Map<string, BlueprintSource>;
  private readonly slotInfo: SlotInfo[];
  epoch = 0;
  private validationLosses: number[] = [];
  private validationAccuracy = 0;
  private germinated: Record<string, number> = {};
  private germinations = 0;
  /** Opaque data the caller keeps in checkpoints (the run's phase, the seeded result before the baseline). */
  extra: Record<string, unknown> = {};
  private readonly oneHotCache = new Map<Split, TF.Tensor>();
  /** Seconds the last epoch spent in its training steps (host and seed steps, no evaluation): for bench/. */
  lastStepSeconds = 0;
  /** G3 reports measured at the end of this epoch, for seeds that may be told to graft. */
  private interfaceReports = new Map<string, G.InterfaceReport>();

  constructor(private readonly options: TrainerOptions) {
    this.tf = options.tf;
    this.config = options.config;
    this.catalog = new Map(options.blueprints.map((b) => [b.spec.name, b]));
    for (const name of this.config.blueprints)
      if (!this.catalog.has(name))
        throw new UsageError(
          `unknown blueprint '${name}'${this.config.origins.blueprints ? ` (${this.config.origins.blueprints})` : ""}; blueprints: ${[...this.catalog.keys()].join(", ")}`,
          "U101",
        );
    const d = options.data.train;
    this.host = new Host(this.tf, [d.features, ...this.config.hostHidden, d.classes], this.config.seed);
    this.slotInfo = this.host.slots();
    this.manager = new SeedManager(
      this.config.lifecycle,
      { run: (gate, seed, purpose) => this.runGate(gate, seed, purpose) },
      (event) => options.output.event(options.series, this.epoch, event),
      {
        entered: (seed, from) => this.entered(seed, from),
        restoreHost: (seed) => this.restoreHost(seed),
      },
    );
  }

  get series(): Series {
    return this.options.series;
  }

  /** Trains one epoch and records it; returns the record. */
  async runEpoch(): Promise<EpochRecord> {
    const tf = this.tf;
    const started = performance.now();
    this.epoch += 1;
    const { train } = this.options.data;
    const batch = this.config.batchSize;
    const order = epochOrder(train.count, this.config.seed, this.epoch);
    const stepsPerEpoch = Math.ceil(train.count / batch);
    for (const rt of this.runtimes.values()) {
      rt.epochLossSum = 0;
      rt.epochSteps = 0;
      rt.maxGradNorm = 0;
    }
    const steps: StepRecord[] = [];
    let lossSum = 0;
    let lossCount = 0;
    let stepSeconds = 0;
    for (let step = 0; step * batch < train.count; step++) {
      const stepStarted = performance.now();
      const idx = order.subarray(step * batch, Math.min(train.count, (step + 1) * batch));
      const xs = new Float32Array(idx.length * train.features);
      const ys = new Int32Array(idx.length);
      idx.forEach((r, k) => {
        xs.set(train.x.subarray(r * train.features, (r + 1) * train.features), k * train.features);
        ys[k] = train.labels[r]!;
      });
      const x = tf.tensor2d(xs, [idx.length, train.features]);
      const labels = tf.tensor1d(ys, "int32");
      const y = tf.oneHot(labels, train.classes).toFloat();
      try {
        if (this.options.seedsEnabled) this.seedSteps(x, y, step === 0, lossCount > 0 ? lossSum / lossCount : null);
        const loss = this.hostStep(x, y, stepsPerEpoch, lossCount > 0 ? lossSum / lossCount : null);
        if (loss !== null) {
          lossSum += loss;
          lossCount += 1;
        }
        steps.push({ runId: this.options.runId, series: this.series, epoch: this.epoch, step, loss: loss ?? -1 });
      } finally {
        tf.dispose([x, labels, y]);
      }
      stepSeconds += (performance.now() - stepStarted) / 1000;
      if (this.options.yieldEvery && step % 16 === 15) await this.options.yieldEvery();
    }
    this.lastStepSeconds = stepSeconds;
    this.options.output.steps(steps);
    for (const [id, rt] of this.runtimes) {
      const seed = this.manager.get(id);
      if (seed?.stage === "TRAINING" && rt.epochSteps > 0) {
        rt.losses.push(rt.epochLossSum / rt.epochSteps);
        seed.seedLoss = rt.losses[rt.losses.length - 1]!;
      }
    }
    const trainEval = this.evaluate(train);
    const validation = this.evaluate(this.options.data.validation);
    const test = this.evaluate(this.options.data.test);
    this.validationLosses.push(validation.loss);
    this.validationAccuracy = validation.accuracy;
    const plateau = plateauOf(this.validationLosses, this.config.policy.plateauWindow);
    if (this.options.seedsEnabled) {
      this.manager.endEpoch();
      await this.measureInterfaces();
      const state: SystemState = {
        epoch: this.epoch,
        trainLoss: lossCount > 0 ? lossSum / lossCount : Number.NaN,
        validationLoss: validation.loss,
        validationAccuracy: validation.accuracy,
        plateau,
        slots: this.slotStats(),
        seeds: this.manager.all(),
        germinated: { ...this.germinated },
        germinations: this.germinations,
      };
      const catalog = [...this.catalog.values()].map((b) => b.spec);
      for (const d of decide(state, this.config, catalog)) {
        if (d.command.kind === "germinate") {
          this.germinated[d.command.slot] = (this.germinated[d.command.slot] ?? 0) + 1;
          this.germinations += 1;
        }
        this.manager.apply(d.command, d.reason);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const record: EpochRecord = {
      runId: this.options.runId,
      series: this.series,
      epoch: this.epoch,
      trainLoss: trainEval.loss,
      trainAccuracy: trainEval.accuracy,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      validationAccuracy: validation.accuracy,
      plateau,
      samplesPerSecond: train.count / seconds,
      seconds,
      seeds: this.manager.snapshots(),
    };
    this.options.output.epoch(record);
    return record;
  }

  /** Every TRAINING seed takes one isolated step on the batch. */
  private seedSteps(x: TF.Tensor, y: TF.Tensor, checkIsolation: boolean, hostMean: number | null): void {
    const tf = this.tf;
    for (const seed of this.manager.all()) {
      if (seed.stage !== "TRAINING" || seed.paused) continue;
      const rt = this.runtimes.get(seed.seedId)!;
      const before = checkIsolation ? this.host.read() : null;
      const blended = [...this.blended(), { module: rt.module, layer: this.layerOf(seed), alpha: 1 }];
      const [loss, norm] = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => crossEntropy(tf, this.host.logits(x, blendSlots(tf, blended, this.host.dense)), y),
          rt.module.vars,
        );
        const gs = rt.module.vars.map((v) => grads[v.name]!);
        const sq = tf.addN(gs.map((g) => tf.sum(tf.square(g))));
        const read = tf.stack([value, tf.sqrt(sq)]).dataSync();
        const [l, n] = [read[0]!, read[1]!];
        if (Number.isFinite(l) && Number.isFinite(n))
          rt.module.vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(gs[i]!, this.config.seedLearningRate))));
        return [l, n] as const;
      });
      if (before) {
        const moved = differingValues(before, this.host.read());
        this.options.output.event(this.series, this.epoch, {
          kind: "isolation",
          seedId: seed.seedId,
          ok: moved === 0,
          values: { moved_host_values: moved, checked_steps: 1 },
        });
        if (moved !== 0) {
          this.manager.trip(seed, "the seed's step moved host weights", { moved_host_values: moved });
          continue;
        }
      }
      rt.maxGradNorm = Number.isFinite(norm) ? Math.max(rt.maxGradNorm, norm) : Number.POSITIVE_INFINITY;
      const mean = rt.epochSteps > 0 ? rt.epochLossSum / rt.epochSteps : hostMean;
      if (this.exploded(loss, mean)) {
        this.manager.trip(seed, Number.isFinite(loss) ? "exploding seed loss" : "seed loss not finite", {
          loss: Number.isFinite(loss) ? loss : -1,
          running_mean: mean ?? -1,
          factor: this.config.gates.breakerLossFactor,
        });
        continue;
      }
      rt.epochLossSum += loss;
      rt.epochSteps += 1;
    }
  }

  /** The host's step (with grafted and fossilized seeds, which it trains too). Returns the batch loss, or null when the breaker tripped. */
  private hostStep(x: TF.Tensor, y: TF.Tensor, stepsPerEpoch: number, mean: number | null): number | null {
    const tf = this.tf;
    for (const seed of this.manager.all()) {
      if (seed.stage !== "GRAFTING") continue;
      const rt = this.runtimes.get(seed.seedId)!;
      rt.graftSteps += 1;
      seed.alpha = graftAlpha(rt.graftSteps, this.config.lifecycle.graftEpochs * stepsPerEpoch);
    }
    const blended = this.blended();
    const vars = [...this.host.variables(), ...blended.flatMap((b) => b.module.vars)];
    const lr = this.config.learningRate;
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => crossEntropy(tf, this.host.logits(x, blendSlots(tf, blended, this.host.dense)), y),
        vars,
      );
      const l = value.dataSync()[0]!;
      if (!this.exploded(l, mean)) for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name]!, lr)));
      return l;
    });
    if (!this.exploded(loss, mean)) return loss;
    const values = {
      loss: Number.isFinite(loss) ? loss : -1,
      running_mean: mean ?? -1,
      factor: this.config.gates.breakerLossFactor,
    };
    const culprit = this.manager.all().find((s) => isGrafted(s.stage));
    if (culprit) this.manager.trip(culprit, Number.isFinite(loss) ? "exploding loss" : "loss not finite", values);
    else
      this.options.output.event(this.series, this.epoch, {
        kind: "breaker",
        seedId: "host",
        cause: "host loss not finite or exploding; step skipped",
        values,
      });
    return null;
  }

  private exploded(loss: number, mean: number | null): boolean {
    if (!Number.isFinite(loss)) return true;
    return mean !== null && loss > this.config.gates.breakerLossFactor * Math.max(mean, 1e-3);
  }

  /** Seeds whose output joins the host's: grafted ones at their alpha, fossilized ones at 1. */
  private blended(): Blended[] {
    const out: Blended[] = [];
    for (const seed of this.manager.all()) {
      if (!isGrafted(seed.stage) && seed.stage !== "FOSSILIZED") continue;
      out.push({ module: this.runtimes.get(seed.seedId)!.module, layer: this.layerOf(seed), alpha: seed.alpha });
    }
    return out;
  }

  private layerOf(seed: SeedState): number {
    return this.slotInfo.find((s) => s.name === seed.slot)!.layer;
  }

  private oneHot(split: Split): TF.Tensor {
    let t = this.oneHotCache.get(split);
    if (!t) {
      const tf = this.tf;
      // Kept: the cache outlives the tidy scope it may first be asked from.
      t = tf.keep(tf.tidy(() => tf.oneHot(tf.tensor1d(split.labels, "int32"), split.classes).toFloat()));
      this.oneHotCache.set(split, t);
    }
    return t;
  }

  /** Loss and accuracy of the whole network (seeds as blended now) on a split. */
  evaluate(split: Split): { loss: number; accuracy: number } {
    const tf = this.tf;
    const blended = this.blended();
    return tf.tidy(() => {
      const x = tf.tensor2d(split.x, [split.count, split.features]);
      const logits = this.host.logits(x, blendSlots(tf, blended, this.host.dense));
      const loss = crossEntropy(tf, logits, this.oneHot(split));
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(split.labels, "int32")), "float32"));
      const read = tf.stack([loss, correct]).dataSync();
      return { loss: read[0]!, accuracy: read[1]! / split.count };
    });
  }

  /** Per-slot statistics on the first 256 validation rows (the policy's saturation measure). */
  private slotStats(): SlotState[] {
    const tf = this.tf;
    const v = this.options.data.validation;
    const n = Math.min(256, v.count);
    const blended = this.blended();
    return tf.tidy(() => {
      const x = tf.tensor2d(v.x.subarray(0, n * v.features), [n, v.features]);
      const y = this.oneHot(v).slice([0, 0], [n, v.classes]);
      const { grads } = tf.variableGrads(
        () => crossEntropy(tf, this.host.logits(x, blendSlots(tf, blended, this.host.dense)), y),
        this.host.weights,
      );
      return this.slotInfo.map((slot) => {
        const g = grads[this.host.weights[slot.layer]!.name]!;
        const gradNorm = tf.sqrt(tf.sum(tf.square(g))).dataSync()[0]!;
        let activeFraction = 1;
        if (slot.layer + 1 < this.slotInfo.length) {
          const a = this.host.activationsAt(x, slot.layer + 1, blendSlots(tf, blended, this.host.dense));
          const busy = tf.greaterEqual(tf.mean(tf.cast(tf.greater(a, 0), "float32"), 0), 0.5);
          activeFraction = tf.mean(tf.cast(busy, "float32")).dataSync()[0]!;
        }
        return { name: slot.name, layer: slot.layer, in: slot.in, out: slot.out, gradNorm, activeFraction };
      });
    });
  }

  /** Real activations at a slot: the first `rows` validation rows through the network as it is now. */
  private activationsAt(seed: SeedState, rows: number): TF.Tensor {
    const tf = this.tf;
    const v = this.options.data.validation;
    const n = Math.min(rows, v.count);
    const blended = this.blended().filter((b) => b.module.id !== seed.seedId);
    return tf.tidy(() =>
      this.host.activationsAt(
        tf.tensor2d(v.x.subarray(0, n * v.features), [n, v.features]),
        this.layerOf(seed),
        blendSlots(tf, blended, this.host.dense),
      ),
    );
  }

  private runGate(gate: GateName, seed: SeedState, purpose?: "drop" | "improvement"): GateOutcome {
    const g = this.config.gates;
    const rt = this.runtimes.get(seed.seedId);
    switch (gate) {
      case "G0": {
        const source = this.catalog.get(seed.blueprint)!;
        const slot = this.slotInfo.find((s) => s.name === seed.slot)!;
        const dims = { in: slot.in, out: slot.out, hidden: source.spec.hidden.default };
        const acts = this.activationsAt(seed, g.g3Rows);
        const out = this.tf.tidy(() => rt!.module.forward(acts));
        const data = out.dataSync() as Float32Array;
        const result = G.g0Sanity(
          {
            hidden: dims.hidden,
            hiddenMin: source.spec.hidden.min,
            hiddenMax: source.spec.hidden.max,
            parameters: parameterCount(source.spec, dims),
            maxParameters: source.spec.maxParameters,
            shapeFits: out.shape.length === 2 && out.shape[0] === acts.shape[0] && out.shape[1] === slot.out,
            finite: data.every(Number.isFinite),
            maxAbsOutput: data.reduce((m, x) => Math.max(m, Math.abs(x)), 0),
          },
          g,
        );
        this.tf.dispose([acts, out]);
        return result;
      }
      case "G1":
        return G.g1GradientHealth({ maxGradNorm: rt!.maxGradNorm, steps: rt!.epochSteps }, g);
      case "G2":
        return G.g2Stability({ losses: rt!.losses }, g);
      case "G3": {
        const report = this.interfaceReports.get(seed.seedId) ?? {
          agrees: false,
          relError: Number.NaN,
          tolerance: 0,
          rows: 0,
          detail: "the interface was not measured this epoch",
        };
        return G.g3Interface(report);
      }
      case "G4":
        return purpose === "improvement"
          ? G.g4Improvement({ atGraft: rt!.accuracyAtGraft, now: this.validationAccuracy }, g)
          : G.g4NoDrop({ atGraft: rt!.accuracyAtGraft, now: this.validationAccuracy }, g);
      case "G5": {
        const now = this.networkWeights();
        const snapshot = rt?.snapshot ?? now;
        return G.g5Reset({
          differing: differingValues(now, snapshot),
          compared: snapshot.reduce((n, a) => n + a.length, 0),
        });
      }
    }
  }

  /**
   * G3's measurement, taken at the end of the epoch (the reference runtime is
   * asynchronous, the seed manager is not) for each TRAINING seed that has trained
   * its minimum epochs: real activations, the seed's current weights, the engine's
   * float32 output, compared by the injected check against the blueprint node.
   */
  private async measureInterfaces(): Promise<void> {
    this.interfaceReports.clear();
    for (const seed of this.manager.all()) {
      if (seed.stage !== "TRAINING" || seed.epochsInStage < this.config.lifecycle.minTrainingEpochs) continue;
      const rt = this.runtimes.get(seed.seedId)!;
      const acts = this.activationsAt(seed, this.config.gates.g3Rows);
      const out = this.tf.tidy(() => rt.module.forward(acts));
      const request: InterfaceRequest = {
        blueprint: seed.blueprint,
        activations: new Tensor([...acts.shape], Float32Array.from(acts.dataSync() as Float32Array)),
        weights: rt.module.named(),
        engineOutput: new Tensor([...out.shape], Float32Array.from(out.dataSync() as Float32Array)),
      };
      this.tf.dispose([acts, out]);
      this.interfaceReports.set(seed.seedId, await this.options.interfaceCheck(request));
    }
  }

  /** The host's weights and every fossilized seed's: what a snapshot holds. */
  private networkWeights(): Float32Array[] {
    const out = this.host.read();
    for (const seed of this.manager.all())
      if (seed.stage === "FOSSILIZED") out.push(...this.runtimes.get(seed.seedId)!.module.read());
    return out;
  }

  private entered(seed: SeedState, from: string): void {
    if (seed.stage === "DORMANT") {
      const source = this.catalog.get(seed.blueprint);
      if (!source || !findBlueprint(seed.blueprint, [source.spec]))
        throw new UsageError(`unknown blueprint '${seed.blueprint}'`, "U101");
      const slot = this.slotInfo.find((s) => s.name === seed.slot)!;
      const dims = { in: slot.in, out: slot.out, hidden: source.spec.hidden.default };
      const number = Number(seed.seedId.replace(/\D/g, ""));
      const module = new SeedModule(
        this.tf,
        seed.seedId,
        source.spec,
        source.plan,
        dims,
        this.config.seed * 7919 + number,
      );
      this.runtimes.set(seed.seedId, {
        module,
        losses: [],
        epochLossSum: 0,
        epochSteps: 0,
        maxGradNorm: 0,
        graftSteps: 0,
        accuracyAtGraft: 0,
        snapshot: null,
      });
      return;
    }
    const rt = this.runtimes.get(seed.seedId);
    if (!rt) return;
    if (seed.stage === "GRAFTING" && from === "TRAINING") {
      rt.snapshot = this.networkWeights();
      rt.accuracyAtGraft = this.validationAccuracy;
      rt.graftSteps = 0;
    }
    if (!isActive(seed.stage) && seed.stage !== "FOSSILIZED") {
      rt.module.dispose();
      this.runtimes.delete(seed.seedId);
    }
    if (seed.stage === "FOSSILIZED") rt.snapshot = null;
  }

  private restoreHost(seed: SeedState): void {
    const rt = this.runtimes.get(seed.seedId);
    if (!rt?.snapshot) return;
    const hostCount = this.host.variables().length;
    this.host.write(rt.snapshot.slice(0, hostCount));
    let at = hostCount;
    for (const s of this.manager.all()) {
      if (s.stage !== "FOSSILIZED") continue;
      const m = this.runtimes.get(s.seedId)!.module;
      m.write(rt.snapshot.slice(at, at + m.vars.length));
      at += m.vars.length;
    }
    // The epoch's validation accuracy was measured with this seed blended in: a seed
    // grafted next must be judged (G4) against the restored network, not the damaged one.
    this.validationAccuracy = this.evaluate(this.options.data.validation).accuracy;
  }

  /** The whole state as bytes (see checkpoint.ts). */
  checkpoint(): Uint8Array {
    const state: TrainerState = {
      version: 1,
      runId: this.options.runId,
      series: this.series,
      epoch: this.epoch,
      host: this.host.read(),
      seeds: this.manager.all().map((s) => {
        const rt = this.runtimes.get(s.seedId);
        const { module, ...rest } = rt ?? ({} as SeedRuntime);
        return { state: { ...s }, weights: module ? module.read() : [], rt: rest as Omit<SeedRuntime, "module"> };
      }),
      counter: this.manager.seedCounter,
      validationLosses: [...this.validationLosses],
      validationAccuracy: this.validationAccuracy,
      germinated: { ...this.germinated },
      germinations: this.germinations,
      extra: this.extra,
    };
    return encodeState(state);
  }

  /** Restores a checkpoint taken by a trainer of the same configuration. */
  restore(bytes: Uint8Array): void {
    const state = decodeState<TrainerState>(bytes);
    if (state.series !== this.series)
      throw new Error(`checkpoint is of the ${state.series} series, not ${this.series}`);
    const hostSizes = this.host.variables().map((v) => v.size);
    if (
      !Array.isArray(state.host) ||
      state.host.length !== hostSizes.length ||
      state.host.some((w, i) => !(w instanceof Float32Array) || w.length !== hostSizes[i])
    )
      throw new VesperError("S107", "the checkpoint cannot be resumed: its host weights do not fit this run's host");
    const context: RestoreContext = {
      counter: state.counter,
      slots: this.slotInfo.map((s) => s.name),
      blueprints: [...this.catalog.keys()],
      hostSizes,
      weightSizes: (slotName, blueprint) => {
        const slot = this.slotInfo.find((s) => s.name === slotName);
        const source = this.catalog.get(blueprint);
        if (!slot || !source) return null;
        const dims = { in: slot.in, out: slot.out, hidden: source.spec.hidden.default };
        return source.spec.weights.map((w) => weightShape(w, dims).reduce((a, b) => a * b, 1));
      },
    };
    const tensors = new Map(
      state.seeds.map((s) => [s.state, { weights: s.weights, snapshot: s.rt?.snapshot ?? null }]),
    );
    this.manager.restore(
      state.seeds.map((s) => s.state),
      state.counter,
      (seed, seen) => refuseRestoredSeed(seed, tensors.get(seed)!, context, seen),
    );
    this.epoch = state.epoch;
    this.host.write(state.host);
    for (const rt of this.runtimes.values()) rt.module.dispose();
    this.runtimes.clear();
    for (const s of state.seeds) {
      if (s.weights.length === 0) continue;
      const source = this.catalog.get(s.state.blueprint);
      if (!source)
        throw new UsageError(`the checkpoint names blueprint '${s.state.blueprint}', which is not loaded`, "U101");
      const slot = this.slotInfo.find((x) => x.name === s.state.slot)!;
      const module = new SeedModule(
        this.tf,
        s.state.seedId,
        source.spec,
        source.plan,
        { in: slot.in, out: slot.out, hidden: source.spec.hidden.default },
        0,
      );
      module.write(s.weights);
      this.runtimes.set(s.state.seedId, { ...s.rt, module });
    }
    this.validationLosses = [...state.validationLosses];
    this.validationAccuracy = state.validationAccuracy;
    this.germinated = { ...state.germinated };
    this.germinations = state.germinations;
    this.extra = state.extra;
  }

  dispose(): void {
    for (const rt of this.runtimes.values()) rt.module.dispose();
    this.runtimes.clear();
    this.tf.dispose([...this.oneHotCache.values()]);
    this.oneHotCache.clear();
    this.host.dispose();
  }
}
