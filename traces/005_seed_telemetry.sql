-- 005: seed telemetry (issue #13): a morphogenetic training run's header and
-- status, its per-epoch and per-step metrics, its events (hash-chained like trace
-- steps) and its newest checkpoint. Written only through src/seeds/telemetry-sink.ts;
-- read by `veyra seeds list/show/verify/watch` and the TUI. docs/seeds-telemetry.md.

-- One row per run (the seeded host, and with --baseline the bare host too: both
-- series belong to one run). The writer renews heartbeat_at at every batch and at
-- least every 5 s; a `running` run whose writer is gone (src/store/liveness.ts: its
-- lease ran out, or its process died on this host) reads as `interrupted`, and the
-- next writer to open the store marks it so. event_count and last_hash say where
-- the event chain ends (a truncated chain is found against them); ord_count is the
-- next position in the run's emission order across seed_epochs and seed_events.
CREATE TABLE seed_runs (
  id            TEXT PRIMARY KEY,                -- the trainer's run id
  dataset       TEXT NOT NULL,                   -- mnist | spirals
  epochs        INTEGER NOT NULL,                -- planned epochs
  seed          INTEGER NOT NULL,
  backend       TEXT NOT NULL,                   -- the engine backend that trained
  baseline      INTEGER NOT NULL,                -- 1 when the bare host trains too (--baseline)
  config        TEXT NOT NULL,                   -- JSON: the resolved seeds settings
  status        TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted', 'failed')),
  started_at    INTEGER NOT NULL,                -- epoch ms, wall clock
  finished_at   INTEGER,
  heartbeat_at  INTEGER,
  writer_pid    INTEGER,
  writer_host   TEXT,
  resumes       INTEGER NOT NULL DEFAULT 0,      -- how many times --resume continued it
  epochs_done   INTEGER NOT NULL DEFAULT 0,      -- seeded-series epochs written
  event_count   INTEGER NOT NULL DEFAULT 0,      -- event rows written
  last_hash     TEXT,                            -- hash of the last event row written
  ord_count     INTEGER NOT NULL DEFAULT 0,
  summary       TEXT                             -- JSON RunSummary, written at the end
);
CREATE INDEX seed_runs_by_start ON seed_runs (started_at);
CREATE INDEX seed_runs_running ON seed_runs (status) WHERE status = 'running';

-- One row per epoch and series (seeded, baseline). The seeds' snapshots as the
-- epoch ended are JSON. id only grows, even when a resumed run drops its last
-- rows (AUTOINCREMENT: followers count on it); ord is the run's emission order
-- shared with seed_events.
CREATE TABLE seed_epochs (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id              TEXT NOT NULL REFERENCES seed_runs(id) ON DELETE CASCADE,
  series              TEXT NOT NULL CHECK (series IN ('seeded', 'baseline')),
  epoch               INTEGER NOT NULL,          -- 1-based
  ord                 INTEGER NOT NULL,
  train_loss          REAL,                      -- NULL stands for a NaN or infinite value
  train_accuracy      REAL,
  test_loss           REAL,
  test_accuracy       REAL,
  validation_accuracy REAL,
  plateau             REAL,
  samples_per_second  REAL,
  seconds             REAL,
  seeds               TEXT NOT NULL,             -- JSON SeedSnapshot[]
  UNIQUE (run_id, series, epoch)
);

-- Per-batch loss, written with the epoch in the same transaction.
CREATE TABLE seed_steps (
  run_id  TEXT NOT NULL REFERENCES seed_runs(id) ON DELETE CASCADE,
  series  TEXT NOT NULL,
  epoch   INTEGER NOT NULL,
  step    INTEGER NOT NULL,                      -- batch within the epoch, 0-based
  loss    REAL,                                  -- NULL stands for a NaN or infinite value
  PRIMARY KEY (run_id, series, epoch, step)
) WITHOUT ROWID;

-- One row per event: stage transitions, gate results with their values, policy
-- commands with reasons, breaker trips, isolation checks, refusals, checkpoints,
-- the run's own status changes. Hash-chained per run in seq order:
--   hash = sha256(prev_hash "\n" run_id "\n" seq "\n" series "\n" epoch "\n" kind "\n" seed_id "\n" at "\n" body)
-- and prev_hash is the hash of event seq-1 (the first chains from
-- sha256("vesper seed run " || run_id)). docs/seeds-telemetry.md.
CREATE TABLE seed_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- only grows (the follow cursor)
  run_id     TEXT NOT NULL REFERENCES seed_runs(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,                   -- 0-based position in the run's chain
  ord        INTEGER NOT NULL,
  series     TEXT NOT NULL,
  epoch      INTEGER NOT NULL,
  kind       TEXT NOT NULL,                      -- the SeedEvent's kind
  seed_id    TEXT,                               -- the seed it is about, if any
  at         INTEGER NOT NULL,                   -- epoch ms, wall clock
  body       TEXT NOT NULL,                      -- JSON SeedEvent
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL,
  UNIQUE (run_id, seq)
);
CREATE INDEX seed_events_by_seed ON seed_events (run_id, seed_id) WHERE seed_id IS NOT NULL;

-- The newest checkpoint of each run (the trainer's bytes, for --resume), with where
-- the event chain and the emission order stood when it was taken: a resumed run
-- drops the rows written after it and continues from there.
CREATE TABLE seed_checkpoints (
  run_id       TEXT PRIMARY KEY REFERENCES seed_runs(id) ON DELETE CASCADE,
  epoch        INTEGER NOT NULL,
  state        BLOB NOT NULL,
  event_count  INTEGER NOT NULL,
  last_hash    TEXT,
  ord_count    INTEGER NOT NULL,
  at           INTEGER NOT NULL
) WITHOUT ROWID;
