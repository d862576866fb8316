// Where the open run's parts go in the pane's width × height cells: the header
// line, the seeds table (its header and up to a few seeds, more when tall), the
// two charts (side by side from 72 columns, each at least 36 wide; stacked below
// that) and the event log (a title and the newest lines). Every part gets at
// least its minimum; the charts take what is left.

export interface RunLayout {
  tableRows: number;
  /** Each chart's size; `sideBySide` puts them in one row. */
  chart: { width: number; height: number };
  sideBySide: boolean;
  logRows: number;
}

const CHART_MIN = 5;

export function runLayout(width: number, height: number, seeds: number): RunLayout {
  const tall = height >= 40;
  const tableRows = Math.max(2, Math.min(seeds + 1, tall ? 9 : 5));
  let logRows = tall ? 12 : 4;
  const sideBySide = width >= 72;
  const rest = height - 1 - tableRows - logRows;
  const needed = sideBySide ? CHART_MIN : CHART_MIN * 2;
  // Short screens: the log gives up rows (down to a title and one line) before the charts do.
  if (rest < needed) logRows = Math.max(2, logRows - (needed - rest));
  const room = Math.max(sideBySide ? 1 : 2, height - 1 - tableRows - logRows);
  const chartWidth = sideBySide ? Math.floor((width - 1) / 2) : width;
  const chartHeight = sideBySide ? room : Math.floor(room / 2);
  return { tableRows, chart: { width: chartWidth, height: chartHeight }, sideBySide, logRows };
}
