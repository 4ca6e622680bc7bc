-- CMIS councils are read now (sources/cmis). The current ones registered with
-- their meetings calendar page are enabled; defunct councils, and those whose
-- registered address is a councillors page rather than the calendar, stay
-- disabled until their calendar address is known.
UPDATE councils SET enabled = 1
WHERE platform = 'cmis'
  AND notes NOT LIKE '%defunct%'
  AND (base_url LIKE '%Meeting%' OR base_url LIKE '%Calendar%');
