#!/usr/bin/env python3
"""Bytes a local D1 database holds, per table (its indexes and FTS shadow tables
counted with it), read with SQLite's dbstat. Prints JSON. Used by the storage
benchmark; the database is opened read-only."""
import json
import sqlite3
import sys

path = sys.argv[1]
db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
owner = {name: table for name, table in db.execute("SELECT name, tbl_name FROM sqlite_schema")}
sizes = {}
for name, size in db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
    table = owner.get(name, name)
    for fts in ("search_text", "search_index"):
        if table.startswith(fts + "_"):
            table = fts
    sizes[table] = sizes.get(table, 0) + size
print(json.dumps(sizes))
