import type { EpochRecord, EventRecord, RunHeader, RunSummary, StepRecord, TelemetrySink } from "./records.js";

// An in-memory TelemetrySink: keeps every record in arrays, for tests, the bench and
// `veyra seeds run` before the store's sink is wired in. Checkpoints are copied, so a
// later change to the trainer's buffers cannot alter one already taken.

export class MemorySink implements TelemetrySink {
  readonly headers: RunHeader[] = [];
  readonly stepRecords: StepRecord[] = [];
  readonly events: EventRecord[] = [];
  readonly epochs: EpochRecord[] = [];
  readonly summaries: RunSummary[] = [];
  readonly checkpoints = new Map<string, { epoch: number; state: Uint8Array }[]>();
  flushes = 0;
  closed = false;

  startRun(header: RunHeader): void {
    this.headers.push(header);
  }
  steps(records: StepRecord[]): void {
    this.stepRecords.push(...records);
  }
  event(record: EventRecord): void {
    this.events.push(record);
  }
  epoch(record: EpochRecord): void {
    this.epochs.push(record);
  }
  checkpoint(runId: string, epoch: number, state: Uint8Array): void {
    const list = this.checkpoints.get(runId) ?? [];
    list.push({ epoch, state: Uint8Array.from(state) });
    this.checkpoints.set(runId, list);
  }
  lastCheckpoint(runId: string): { epoch: number; state: Uint8Array } | null {
    const list = this.checkpoints.get(runId);
    const last = list?.[list.length - 1];
    return last ? { epoch: last.epoch, state: Uint8Array.from(last.state) } : null;
  }
  finish(summary: RunSummary): void {
    this.summaries.push(summary);
  }
  flush(): void {
    this.flushes++;
  }
  close(): void {
    this.closed = true;
  }
}
