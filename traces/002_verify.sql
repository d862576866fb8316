-- 002: differential testing, confidence and the migration controller (issue #6).
-- Counters are aggregated rows updated in place (UPSERT), so a node with a million
-- observed executions costs a handful of rows, and confidence is one SUM away.

-- Comparisons of the two runtimes, per node and where they were made: test (vesper
-- test), aa (vesper test --aa: reference against reference, not counted toward
-- confidence), or the executor's mode (shadow_direct, canary_direct, dual_verify,
-- direct_only) for executions observed by vesper run.
CREATE TABLE comparisons (
  node_id   TEXT NOT NULL,
  source    TEXT NOT NULL,
  compared  INTEGER NOT NULL DEFAULT 0,
  agreed    INTEGER NOT NULL DEFAULT 0 CHECK (agreed <= compared),
  first_at  INTEGER NOT NULL,                  -- epoch ms
  last_at   INTEGER NOT NULL,
  PRIMARY KEY (node_id, source)
) WITHOUT ROWID;

-- The controller's state per node. policy 'pinned': a person chose the mode and the
-- controller never moves it; 'auto': the controller promotes it as confidence grows
-- and rolls it back one level on a divergence in canary_direct or direct_only.
-- A rollback starts a new evidence epoch: promotion then counts only comparisons
-- made after it (compared - epoch_compared, agreed - epoch_agreed).
CREATE TABLE node_modes (
  node_id         TEXT PRIMARY KEY,
  mode            TEXT NOT NULL CHECK (mode IN ('reference_only', 'shadow_direct', 'canary_direct', 'dual_verify', 'direct_only')),
  policy          TEXT NOT NULL CHECK (policy IN ('pinned', 'auto')),
  reason          TEXT NOT NULL,
  updated_at      INTEGER NOT NULL,
  epoch_compared  INTEGER NOT NULL DEFAULT 0,
  epoch_agreed    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Every change of a node's mode or policy, with why: set (pinned by a person),
-- auto (handed to the controller), promote, demote (confidence fell), rollback (a
-- divergence in canary_direct or direct_only).
CREATE TABLE mode_changes (
  id          INTEGER PRIMARY KEY,
  node_id     TEXT NOT NULL,
  from_mode   TEXT,
  to_mode     TEXT NOT NULL,
  policy      TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('set', 'auto', 'promote', 'demote', 'rollback')),
  reason      TEXT NOT NULL,
  confidence  REAL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX mode_changes_by_node ON mode_changes (node_id, id);

-- Executions observed by vesper run, per node and runtime: how often each runtime
-- ran, and how often its result was the answer (the traffic split).
CREATE TABLE runtime_executions (
  node_id   TEXT NOT NULL,
  runtime   TEXT NOT NULL CHECK (runtime IN ('reference', 'direct')),
  ran       INTEGER NOT NULL DEFAULT 0,
  answered  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (node_id, runtime)
) WITHOUT ROWID;

-- Execution durations per node and mode as a histogram: count per bucket, where
-- bucket i holds durations in (le of bucket i-1, le] seconds (the bounds live in
-- src/verify/metrics-store.ts; the +Inf bucket is count minus the finite ones).
CREATE TABLE duration_buckets (
  node_id  TEXT NOT NULL,
  mode     TEXT NOT NULL,
  le       REAL NOT NULL,
  count    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (node_id, mode, le)
) WITHOUT ROWID;

CREATE TABLE duration_totals (
  node_id  TEXT NOT NULL,
  mode     TEXT NOT NULL,
  count    INTEGER NOT NULL DEFAULT 0,
  sum_us   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (node_id, mode)
) WITHOUT ROWID;

-- Failed or declared-error results by type: status (error, contract_violation,
-- runtime_error) and code (the declared error code, C001…, R2xx…).
CREATE TABLE execution_errors (
  node_id  TEXT NOT NULL,
  status   TEXT NOT NULL,
  code     TEXT NOT NULL,
  count    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (node_id, status, code)
) WITHOUT ROWID;

-- One row per vesper test session: what ran and what it found.
CREATE TABLE test_runs (
  id            INTEGER PRIMARY KEY,
  node_id       TEXT NOT NULL,
  content_hash  TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('differential', 'aa')),
  seed          TEXT NOT NULL,
  tools         TEXT NOT NULL,
  runs          INTEGER NOT NULL,              -- inputs generated
  discarded     INTEGER NOT NULL,              -- failed a precondition or input constraint
  compared      INTEGER NOT NULL,
  diverged      INTEGER NOT NULL,
  case_file     TEXT,                          -- the regression case written, if any
  created_at    INTEGER NOT NULL
);
CREATE INDEX test_runs_by_node ON test_runs (node_id, id);
