-- 001: the trace store's first schema. Applied in one transaction on open; the
-- file's PRAGMA user_version says how many migrations it has had.

-- One row per execution of a node on one runtime.
CREATE TABLE traces (
  id             TEXT PRIMARY KEY,              -- tr_ + 16 hex digits
  node_id        TEXT NOT NULL,
  node_file      TEXT NOT NULL,                 -- absolute path when recorded
  content_hash   TEXT NOT NULL,                 -- sha256 of the .vsp text that ran
  runtime        TEXT NOT NULL CHECK (runtime IN ('reference', 'direct')),
  engine_backend TEXT NOT NULL,                 -- float results differ in the low bits between backends
  mode           TEXT,                          -- the executor's mode, or NULL for a replay/debug run
  status         TEXT NOT NULL,                 -- running | success | error | contract_violation | runtime_error | incomplete
  inputs         TEXT NOT NULL,                 -- value-codec JSON object
  output         TEXT,                          -- value-codec JSON of the output record
  failure        TEXT,                          -- JSON Failure
  final_state    TEXT,
  seed           TEXT NOT NULL,
  context        TEXT NOT NULL,                 -- JSON {clockStartMs, budgetMs, behaviour}
  started_at     INTEGER NOT NULL,              -- epoch ms, wall clock
  finished_at    INTEGER,
  duration_us    INTEGER,
  step_count     INTEGER NOT NULL DEFAULT 0,    -- step rows written (enter included)
  last_hash      TEXT,                          -- hash of the last step row written
  parent_id      TEXT REFERENCES traces(id) ON DELETE SET NULL,  -- set on forks
  fork_step      INTEGER,
  fork_change    TEXT,                          -- JSON {step, param, value, ...}
  group_id       TEXT,                          -- runs of one execution (dual verify, a debug pair)
  role           TEXT,                          -- primary | secondary | reference | direct
  writer_pid     INTEGER,
  writer_host    TEXT
);
CREATE INDEX traces_by_node ON traces (node_id, started_at);
CREATE INDEX traces_by_start ON traces (started_at);
CREATE INDEX traces_by_group ON traces (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX traces_by_parent ON traces (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX traces_running ON traces (status) WHERE status = 'running';

-- One row per step event; hash = sha256(prev hash, this row's content).
CREATE TABLE steps (
  trace_id    TEXT NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,                 -- 0 is `enter`
  step        TEXT NOT NULL,
  op          TEXT NOT NULL,
  line        INTEGER NOT NULL,
  col         INTEGER NOT NULL,
  event       TEXT NOT NULL,                    -- JSON: changed, effects, contracts, transition, tape, ...
  duration_us INTEGER NOT NULL,
  hash        TEXT NOT NULL,
  PRIMARY KEY (trace_id, idx)
) WITHOUT ROWID;

-- Tool calls, one row per call a step made (the same effects the step's event holds,
-- in a form to query).
CREATE TABLE tool_calls (
  trace_id   TEXT NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  step_idx   INTEGER NOT NULL,
  step       TEXT NOT NULL,
  tool       TEXT NOT NULL,
  capability TEXT NOT NULL,
  args       TEXT NOT NULL,
  ok         INTEGER NOT NULL,
  result     TEXT,
  error      TEXT,
  attempts   INTEGER NOT NULL,
  elapsed_ms INTEGER NOT NULL,
  PRIMARY KEY (trace_id, seq)
) WITHOUT ROWID;

-- The state after a step, every K steps: bindings, state machine state, virtual
-- clock and tape positions. Reaching step n costs one checkpoint plus < K deltas.
CREATE TABLE checkpoints (
  trace_id TEXT NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  step_idx INTEGER NOT NULL,
  state    TEXT NOT NULL,
  PRIMARY KEY (trace_id, step_idx)
) WITHOUT ROWID;

-- Disagreements between the runtimes (or between a replay and its recording).
CREATE TABLE divergences (
  id             INTEGER PRIMARY KEY,
  node_id        TEXT NOT NULL,
  content_hash   TEXT,
  source         TEXT NOT NULL,                 -- run | test | debug | replay | shadow_direct | canary_direct | dual_verify | direct_only
  trace_id       TEXT REFERENCES traces(id) ON DELETE SET NULL,
  other_trace_id TEXT REFERENCES traces(id) ON DELETE SET NULL,
  step_idx       INTEGER,
  inputs         TEXT,
  expected       TEXT,
  actual         TEXT,
  diffs          TEXT NOT NULL,                 -- JSON [{path, expected, actual, reason}]
  created_at     INTEGER NOT NULL
);
CREATE INDEX divergences_by_node ON divergences (node_id, created_at);
