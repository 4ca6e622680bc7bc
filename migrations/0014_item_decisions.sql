-- An agenda item's link to the council's own record of its decision, where
-- the platform gives one (CMIS's ViewCMIS_DecisionDetails pages).
ALTER TABLE agenda_items ADD COLUMN decision_url TEXT;
