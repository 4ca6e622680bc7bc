#!/usr/bin/env python3
"""Parses a feed and a calendar with real clients: feedparser for RSS/Atom,
icalendar for RFC 5545. Prints a JSON report; exits non-zero on parse errors."""
import json
import sys

import feedparser
import icalendar

rss_path, ics_path = sys.argv[1], sys.argv[2]
with open(rss_path, "rb") as handle:
    feed = feedparser.parse(handle.read())
if feed.bozo:
    sys.exit(f"feed does not parse: {feed.bozo_exception}")
with open(ics_path, "rb") as handle:
    calendar = icalendar.Calendar.from_ical(handle.read())
events = [c for c in calendar.walk() if c.name == "VEVENT"]
report = {
    "feed_version": feed.version,
    "entries": len(feed.entries),
    "entry_links": [e.link for e in feed.entries],
    "events": len(events),
    "uids": sorted(str(e.get("uid")) for e in events),
    "cancelled": sum(1 for e in events if str(e.get("status")) == "CANCELLED"),
    "utc_starts": sum(1 for e in events if getattr(e.decoded("dtstart"), "tzinfo", None) is not None),
}
print(json.dumps(report))
