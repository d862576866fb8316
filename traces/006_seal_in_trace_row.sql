-- 006: fewer pages per recorded trace (issue #15). A short trace is one commit, and
-- what a commit costs is the pages it writes (docs/trace-store.md, "What a recorded
-- run's commit costs"). Two of them went to things the trace row can carry or no
-- query needs:
--
-- The seal moves into the trace row. A trace recorded from schema 6 on keeps its
-- seal in these columns (the same digests, seal, HMAC and key id the `seals` table
-- held, computed the same way: src/trace/seal.ts); its `seals` row was a row of its
-- own in a WITHOUT ROWID table keyed by trace id, about three and a half pages of
-- every commit. Traces recorded before keep their `seals` row, and verify reads
-- either (a trace with neither, recorded since sealing began, has had its seal removed).
ALTER TABLE traces ADD COLUMN seal_digests TEXT;
ALTER TABLE traces ADD COLUMN seal TEXT;
ALTER TABLE traces ADD COLUMN seal_mac TEXT;
ALTER TABLE traces ADD COLUMN seal_key_id TEXT;

-- No query looks traces up by group (a group's runs are found through their
-- recording, never by a scan of group_id), and every recorded run has a group: the
-- index was one more page in every commit.
DROP INDEX IF EXISTS traces_by_group;
