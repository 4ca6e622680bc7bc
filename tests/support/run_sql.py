#!/usr/bin/env python3
"""Runs statements against a fresh database built from migrations/ (the
schema D1 has), in order, and prints each one's rows as JSON. Input on stdin:
[{"sql": "...", "params": [...]}, ...]. Used by tests that check what a
statement of src/storage/queries.rs does, not only how it is planned."""
import json
import pathlib
import sqlite3
import sys

root = pathlib.Path(sys.argv[1])
db = sqlite3.connect(":memory:")
for migration in sorted((root / "migrations").glob("*.sql")):
    db.executescript(migration.read_text())

results = []
for step in json.load(sys.stdin):
    rows = db.execute(step["sql"], step.get("params", [])).fetchall()
    results.append([list(row) for row in rows])
db.commit()
print(json.dumps(results))
