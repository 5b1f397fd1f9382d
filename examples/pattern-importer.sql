-- Type tables of the built-in pattern_importer extension: which directories are acquisitions
-- and which files in them are imported. An example for a site whose nodes hold
--
--   20250221T003500Z_chime_corr/00000000_0000.h5      correlator data
--   20250221T003500Z_chime_corr/acq.log                a log
--   20250221T003500Z_chime_hk/hk_20250221.csv          housekeeping
--   hk/2025/20250221T000000Z_chime_hk/hk_20250221.csv  (acquisitions may sit below other directories)
--
-- Set up:
--   1. extensions: [pattern_importer] in the configuration (examples/alpenhorn.conf);
--   2. `alpenhorn db init` creates the four tables (acqtype, filetype, acqdata, filedata) and
--      inserts the demo's three types (demo_acq, demo_data, demo_meta), which stay harmless
--      unless paths match them;
--   3. load these rows: `sqlite3 /var/lib/alpenhorn/index.db < pattern-importer.sql`, or
--      `mysql -u USER -p DBNAME < pattern-importer.sql`. A daemon running meanwhile sees new
--      types at its next file (the tables are read for every import, once per batch).
--
-- How detection reads them (src/engine/extensions/pattern-detect.ts, as alpenhorn's example):
--   * `patterns` is a JSON list of Python regular expressions, each matched against the WHOLE
--     name (re.fullmatch);
--   * the acquisition is the nearest directory above the file whose path relative to the node
--     root matches an acqtype pattern; no such directory: the file is not imported;
--   * the rest of the path, relative to the acquisition, must match a filetype pattern (the
--     last matching filetype, in id order, is recorded); none: not imported;
--   * a new acquisition gets an acqdata row with its type, a new file a filedata row.
--
-- Write `[.]` for a literal dot: a backslash means different things inside a MySQL string
-- literal and an SQLite one, so these patterns use none. Type names are unique (64 characters).

INSERT INTO acqtype (name, patterns, notes) VALUES
  ('corr', '["([a-z]+/)*[0-9]{8}T[0-9]{6}Z_[a-z0-9]+_corr"]', 'Correlator acquisitions'),
  ('hk', '["([a-z]+/[0-9]{4}/)?[0-9]{8}T[0-9]{6}Z_[a-z0-9]+_hk"]', 'Housekeeping acquisitions');

INSERT INTO filetype (name, patterns, notes) VALUES
  ('corr_data', '["[0-9]{8}_[0-9]{4}[.]h5"]', 'Correlator data files'),
  ('log', '["[a-z_]+[.]log"]', 'Acquisition logs'),
  ('hk_data', '["hk_[0-9]{8}[.]csv", "hk_[0-9]{8}_[0-9]+[.]csv"]', 'Housekeeping tables');
