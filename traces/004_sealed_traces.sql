-- 004: traces people can trust (issue #16): a seal over each whole trace, writer
-- leases (heartbeats), garbage collection in short batches, and the intent of a
-- live irreversible call written before the call is made. docs/trace-store.md.

-- The writer renews this (epoch ms) at every batch it commits and at least every
-- 5 s while its trace is running; a running trace whose heartbeat is more than 60 s
-- old is abandoned (src/store/liveness.ts), whatever host wrote it.
ALTER TABLE traces ADD COLUMN heartbeat_at INTEGER;

-- One seal per trace, rewritten in the same transaction as every batch of steps and
-- as the outcome: `digests` is JSON of sha256 digests of the trace row's fields
-- (inputs, output, status, failure, final state, identity), its step count and last
-- step hash, and its checkpoints and intents; `seal` is sha256 over the trace id and
-- digests; `mac` the same under HMAC-SHA256 with VEYRA_TRACE_KEY (NULL without a
-- key), `key_id` names the key (an HMAC of a constant, not the key).
CREATE TABLE seals (
  trace_id  TEXT PRIMARY KEY REFERENCES traces(id) ON DELETE CASCADE,
  digests   TEXT NOT NULL,
  seal      TEXT NOT NULL,
  mac       TEXT,
  key_id    TEXT
) WITHOUT ROWID;

-- Traces whose rowid is at least since_rowid were recorded by a sealing vesper: one
-- of them without a seal had its seal removed. Older traces verify as unsealed.
CREATE TABLE trace_sealing (since_rowid INTEGER NOT NULL);
INSERT INTO trace_sealing (since_rowid) SELECT COALESCE(MAX(rowid), 0) + 1 FROM traces;

-- A live, irreversible call about to be made, committed before it is made: if the
-- run fails after the call went out, the trace still says it was attempted.
CREATE TABLE intents (
  trace_id   TEXT NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  step_idx   INTEGER NOT NULL,
  step       TEXT NOT NULL,
  tool       TEXT NOT NULL,
  capability TEXT NOT NULL,
  args       TEXT NOT NULL,                    -- value-codec JSON
  at         INTEGER NOT NULL,                 -- epoch ms, wall clock
  PRIMARY KEY (trace_id, seq)
) WITHOUT ROWID;

-- Traces gc has deleted whose steps, calls and checkpoints it is still removing in
-- short batches (a gc that is killed resumes here).
CREATE TABLE gc_pending (trace_id TEXT PRIMARY KEY) WITHOUT ROWID;

-- gc clears these references when it deletes a trace: without an index each
-- deleted trace scanned the whole table.
CREATE INDEX divergences_by_trace ON divergences (trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX divergences_by_other_trace ON divergences (other_trace_id) WHERE other_trace_id IS NOT NULL;
