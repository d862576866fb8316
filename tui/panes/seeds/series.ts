// The Seeds pane's chart series from a run's epochs: loss and accuracy (in percent),
// each with the seeded host's train (solid) and test (dotted) curves, and the bare
// host's test curve (sparse) when the run trains a baseline. Styles tell the
// series apart without colour; colours only repeat what the styles say.

import type { EpochRecord } from "../../../src/seeds/records.js";
import type { ChartSeries } from "../../components/braille-raster.js";

export interface ChartData {
  series: ChartSeries[];
  colours: string[];
}

const points = (epochs: readonly EpochRecord[], y: (e: EpochRecord) => number) =>
  epochs.map((e) => [e.epoch, y(e)] as const);

function chart(
  seeded: readonly EpochRecord[],
  baseline: readonly EpochRecord[],
  train: (e: EpochRecord) => number,
  test: (e: EpochRecord) => number,
): ChartData {
  const series: ChartSeries[] = [
    { name: "train", points: points(seeded, train), style: "solid" },
    { name: "test", points: points(seeded, test), style: "dotted" },
  ];
  const colours = ["cyan", "magenta"];
  if (baseline.length > 0) {
    series.push({ name: "baseline test", points: points(baseline, test), style: "sparse" });
    colours.push("yellow");
  }
  return { series, colours };
}

export function lossSeries(epochs: { seeded: readonly EpochRecord[]; baseline: readonly EpochRecord[] }): ChartData {
  return chart(
    epochs.seeded,
    epochs.baseline,
    (e) => e.trainLoss,
    (e) => e.testLoss,
  );
}

export function accuracySeries(epochs: {
  seeded: readonly EpochRecord[];
  baseline: readonly EpochRecord[];
}): ChartData {
  return chart(
    epochs.seeded,
    epochs.baseline,
    (e) => e.trainAccuracy * 100,
    (e) => e.testAccuracy * 100,
  );
}

/** The EMA weights `s` cycles through (0: raw). */
export const SMOOTHING = [0, 0.3, 0.6, 0.9] as const;
