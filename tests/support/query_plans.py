#!/usr/bin/env python3
"""Query plans of every SQL statement in src/storage/queries.rs, against the
schema built from migrations/. Prints JSON: {name: [plan lines]}. Used by
tests/query_plans.rs, which fails on a full scan of a table that grows.
With --columns, prints each SELECT's result columns instead: {name: [names]},
for the check that each typed read's row struct names its columns."""
import json
import pathlib
import re
import sqlite3
import sys

root = pathlib.Path(sys.argv[1])
columns_only = "--columns" in sys.argv[2:]
db = sqlite3.connect(":memory:")
for migration in sorted((root / "migrations").glob("*.sql")):
    db.executescript(migration.read_text())

source = (root / "src/storage/queries.rs").read_text()
plans = {}
for name, literal in re.findall(r'pub const (\w+): &str =\s*"((?:[^"\\]|\\.)*)";', source, re.S):
    sql = re.sub(r"\\\n\s*", "", literal).replace('\\"', '"')
    params = max((int(n) for n in re.findall(r"\?(\d+)", sql)), default=0)
    if columns_only:
        if re.match(r"\s*(SELECT|WITH)\b", sql, re.I):
            # NULL parameters, else numbers (a LIMIT wants one).
            for value in (None, 1):
                try:
                    cursor = db.execute(sql, [value] * params)
                    plans[name] = [column[0] for column in cursor.description]
                    break
                except sqlite3.Error as error:
                    plans[name] = [f"ERROR {error}"]
        continue
    try:
        rows = db.execute("EXPLAIN QUERY PLAN " + sql, [None] * params).fetchall()
        plans[name] = [row[3] for row in rows]
    except sqlite3.Error as error:
        plans[name] = [f"ERROR {error}"]
print(json.dumps(plans, indent=1))
