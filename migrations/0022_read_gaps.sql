-- What a platform lists of a meeting but could not be read in full (an
-- attendance or apologies list paged beyond what can be read): JSON
-- [{part, read, total, why}], set at each read of the meeting, NULL when whole.
ALTER TABLE meetings ADD COLUMN read_gaps TEXT;
