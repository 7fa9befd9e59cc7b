-- Run once by the postgres image when its volume is empty. btree_gist backs the exclusion constraint that
-- keeps bookings of a listing from overlapping; installing it in template1 gives it to every database
-- created later as well.
\connect template1
CREATE EXTENSION IF NOT EXISTS btree_gist;
\connect commons
CREATE EXTENSION IF NOT EXISTS btree_gist;
