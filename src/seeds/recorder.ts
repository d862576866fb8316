import type { EpochRecord, EventRecord, SeedEvent, Series, StepRecord, TelemetrySink } from "./records.js";
import type { TrainerOutput } from "./trainer.js";

// The recorder: between the trainer and the sink. It numbers the run's events (one
// chain across both series, continued on resume from the checkpoint's count), stamps
// wall-clock times, and tells the caller's hooks (the progress display) after the sink.

export interface RecorderHooks {
  onEpoch?(record: EpochRecord): void;
  onEvent?(record: EventRecord): void;
  onStep?(record: StepRecord): void;
}

export class Recorder implements TrainerOutput {
  constructor(
    private readonly sink: TelemetrySink,
    private readonly runId: string,
    private readonly hooks: RecorderHooks = {},
    /** The next event's position in the chain. */
    public seq = 0,
  ) {}

  event(series: Series, epoch: number, event: SeedEvent): void {
    const record: EventRecord = { runId: this.runId, seq: this.seq++, series, epoch, event, at: Date.now() };
    this.sink.event(record);
    this.hooks.onEvent?.(record);
  }

  steps(records: StepRecord[]): void {
    this.sink.steps(records);
    if (this.hooks.onStep) for (const r of records) this.hooks.onStep(r);
  }

  epoch(record: EpochRecord): void {
    this.sink.epoch(record);
    this.hooks.onEpoch?.(record);
  }
}
