-- 003: evidence belongs to a version of a node (issue #17). Comparisons are counted
-- per node *and content hash*, so a changed file starts from zero instead of
-- inheriting the old version's confidence. Rows recorded before this migration did
-- not say which version they compared: they keep an empty content hash and count
-- for no version. node_modes remembers which version its evidence epoch (the
-- counts at the last rollback) refers to.

CREATE TABLE comparisons_by_content (
  node_id      TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  source       TEXT NOT NULL,
  compared     INTEGER NOT NULL DEFAULT 0,
  agreed       INTEGER NOT NULL DEFAULT 0 CHECK (agreed <= compared),
  first_at     INTEGER NOT NULL,
  last_at      INTEGER NOT NULL,
  PRIMARY KEY (node_id, content_hash, source)
) WITHOUT ROWID;

INSERT INTO comparisons_by_content (node_id, content_hash, source, compared, agreed, first_at, last_at)
  SELECT node_id, '', source, compared, agreed, first_at, last_at FROM comparisons;
DROP TABLE comparisons;
ALTER TABLE comparisons_by_content RENAME TO comparisons;

ALTER TABLE node_modes ADD COLUMN epoch_hash TEXT NOT NULL DEFAULT '';
