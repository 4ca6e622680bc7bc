#!/usr/bin/env python3
"""Deploys both workers to Cloudflare in one command, and again without change.

Steps, each skipped when already done: find or create the D1 database, the KV
namespace, the R2 buckets and the queues the two configs name; write the D1
and KV ids into both configs' production sections (the two workers share
them); apply the D1 migrations remotely; set each worker's secrets that are
not set yet (from the environment, or asked for); deploy the ingest worker,
then the site worker. Rate-limit namespaces are declared by number in
wrangler.site.toml: nothing to create.

What was found or created is kept in a state file (.deploy/state.json), so a
later run, and a dry run, know it. `--dry-run` prints every step and calls
nothing: what is not in the state file or the configs is planned. `--write-ids`
writes the state file's ids into the configs and stops (no Cloudflare call).

Wrangler's own provisioning of D1, KV and R2 at deploy (wrangler 4.45 and
later, so the pinned 4.86) is not used: it would give each worker a database
and namespace of its own, where these two workers share one of each, and it
does not create queues.
"""

import argparse
import getpass
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

CONFIGS = {"ingest": "wrangler.toml", "site": "wrangler.site.toml"}
SECRETS = {
    "ingest": ["ADMIN_TOKEN", "EMAIL_TOKEN_SECRET", "EMAIL_API_KEY"],
    "site": ["EMAIL_TOKEN_SECRET", "EMAIL_API_KEY"],
}
KV_TITLE = "council-digest-cache"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HEX32 = re.compile(r"\b[0-9a-f]{32}\b")


def placeholder(value):
    return not value or set(value.replace("-", "")) == {"0"}


class Deploy:
    def __init__(self, root, state_path, dry_run):
        self.root = Path(root)
        self.state_path = Path(state_path)
        self.dry_run = dry_run
        self.state = json.loads(self.state_path.read_text()) if self.state_path.exists() else {}
        self.wrangler = shlex.split(os.environ.get("WRANGLER", "npx wrangler"))
        self.production = {
            worker: tomllib.loads((self.root / config).read_text())["env"]["production"]
            for worker, config in CONFIGS.items()
        }

    def say(self, line):
        print(("plan: " if self.dry_run else "") + line, flush=True)

    def run(self, args, input_text=None, worker="ingest"):
        command = self.wrangler + args + (["-c", CONFIGS[worker]] if worker == "site" else [])
        done = subprocess.run(command, cwd=self.root, input=input_text, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{done.stdout}{done.stderr}")
        return done.stdout

    def save(self):
        if not self.dry_run:
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            self.state_path.write_text(json.dumps(self.state, indent=2, sort_keys=True) + "\n")

    # What the configs name.
    def database(self):
        names = {d["database_name"] for p in self.production.values() for d in p.get("d1_databases", [])}
        if len(names) != 1:
            sys.exit(f"the two configs must bind one D1 database, not {sorted(names)}")
        return names.pop()

    def configured_id(self, kind):
        ids = set()
        for production in self.production.values():
            if kind == "d1":
                ids |= {d["database_id"] for d in production.get("d1_databases", [])}
            else:
                ids |= {k["id"] for k in production.get("kv_namespaces", [])}
        real = {i for i in ids if not placeholder(i)}
        return real.pop() if len(real) == 1 and len(ids) == 1 else None

    def queues(self):
        names = set()
        for production in self.production.values():
            queues = production.get("queues", {})
            names |= {q["queue"] for q in queues.get("producers", [])}
            for consumer in queues.get("consumers", []):
                names.add(consumer["queue"])
                if consumer.get("dead_letter_queue"):
                    names.add(consumer["dead_letter_queue"])
        return sorted(names)

    def buckets(self):
        return sorted({b["bucket_name"] for p in self.production.values() for b in p.get("r2_buckets", [])})

    # Steps.
    def d1(self):
        name = self.database()
        known = self.state.get("d1", {}).get(name) or self.configured_id("d1")
        if known:
            self.say(f"D1 database {name}: {known}")
        elif self.dry_run:
            self.say(f"create D1 database {name} (or find it by name)")
            return
        else:
            listed = json.loads(self.run(["d1", "list", "--json"]))
            known = next((d["uuid"] for d in listed if d.get("name") == name), None)
            if known:
                self.say(f"D1 database {name}: found, {known}")
            else:
                found = UUID.search(self.run(["d1", "create", name]))
                if not found:
                    sys.exit(f"no database id in wrangler's answer to creating {name}")
                known = found.group(0)
                self.say(f"D1 database {name}: created, {known}")
        self.state.setdefault("d1", {})[name] = known
        self.save()

    def kv(self):
        known = self.state.get("kv", {}).get("CACHE") or self.configured_id("kv")
        if known:
            self.say(f"KV namespace {KV_TITLE}: {known}")
        elif self.dry_run:
            self.say(f"create KV namespace {KV_TITLE} (or find it by title)")
            return
        else:
            listed = json.loads(self.run(["kv", "namespace", "list"]))
            known = next((n["id"] for n in listed if n.get("title") == KV_TITLE), None)
            if not known:
                found = HEX32.search(self.run(["kv", "namespace", "create", KV_TITLE]))
                if not found:
                    sys.exit("no namespace id in wrangler's answer to creating the KV namespace")
                known = found.group(0)
            self.say(f"KV namespace {KV_TITLE}: {known}")
        self.state.setdefault("kv", {})["CACHE"] = known
        self.save()

    def named(self, kind, label, wanted, list_args, create_args):
        have = set(self.state.get(kind, []))
        missing = [name for name in wanted if name not in have]
        if missing and not self.dry_run:
            listed = self.run(list_args)
            have |= {name for name in missing if re.search(rf"(^|\s){re.escape(name)}(\s|$)", listed, re.M)}
        for name in wanted:
            if name in have:
                self.say(f"{label} {name}: exists")
            elif self.dry_run:
                self.say(f"create {label} {name} (unless it exists)")
            else:
                self.run(create_args + [name])
                self.say(f"{label} {name}: created")
                have.add(name)
        if not self.dry_run:
            self.state[kind] = sorted(have)
            self.save()

    def write_ids(self):
        """Writes the state's D1 and KV ids into both configs' production sections."""
        database = self.database()
        d1 = self.state.get("d1", {}).get(database)
        kv = self.state.get("kv", {}).get("CACHE")
        for worker, config in CONFIGS.items():
            path = self.root / config
            text = path.read_text()
            head, marker, production = text.partition("[env.production]")
            if not marker:
                sys.exit(f"{config} has no [env.production]")
            new = production
            if d1:
                new = re.sub(r'(database_name = "%s"\s*\ndatabase_id = ")[^"]*(")' % re.escape(database),
                             rf"\g<1>{d1}\g<2>", new)
            if kv:
                new = re.sub(r'(binding = "CACHE"\s*\nid = ")[^"]*(")', rf"\g<1>{kv}\g<2>", new)
            if new == production:
                if self.dry_run and (not d1 or not kv) and re.search(r'(database_)?id = "[0-]+"', production):
                    self.say(f"write the D1 and KV ids, once known, into {config} (production)")
                else:
                    self.say(f"{config}: ids in place")
                continue
            if self.dry_run:
                self.say(f"write the D1 and KV ids into {config} (production)")
            else:
                path.write_text(head + marker + new)
                self.say(f"{config}: ids written")
            self.production[worker] = tomllib.loads(head + marker + new)["env"]["production"]

    def migrations(self):
        self.say(f"apply the D1 migrations not yet applied to {self.database()} (remote)")
        if not self.dry_run:
            self.run(["d1", "migrations", "apply", "DB", "--remote", "--env", "production"])

    def secrets(self):
        recorded = self.state.setdefault("secrets", {})
        for worker, names in SECRETS.items():
            have = set(recorded.get(worker, []))
            if not self.dry_run and any(name not in have for name in names):
                listed = json.loads(self.run(["secret", "list", "--env", "production", "--format", "json"], worker=worker))
                have |= {s["name"] for s in listed}
            for name in names:
                if name in have:
                    self.say(f"secret {name} of the {worker} worker: set")
                    continue
                if self.dry_run:
                    self.say(f"set secret {name} of the {worker} worker (from ${name}, or asked for)")
                    continue
                value = os.environ.get(name) or getpass.getpass(f"{name} for the {worker} worker: ")
                if not value:
                    sys.exit(f"{name} is needed: set it in the environment")
                self.run(["secret", "put", name, "--env", "production"], input_text=value, worker=worker)
                self.say(f"secret {name} of the {worker} worker: set")
                have.add(name)
            if not self.dry_run:
                recorded[worker] = sorted(have)
                self.save()

    def deploy(self):
        for worker in CONFIGS:
            self.say(f"deploy the {worker} worker ({CONFIGS[worker]}, production)")
            if not self.dry_run:
                self.run(["deploy", "--env", "production"], worker=worker)

    def all(self):
        self.d1()
        self.kv()
        self.named("r2_buckets", "R2 bucket", self.buckets(), ["r2", "bucket", "list"], ["r2", "bucket", "create"])
        self.named("queues", "queue", self.queues(), ["queues", "list"], ["queues", "create"])
        limits = sorted(
            {f"{r['name']} ({r['namespace_id']})" for p in self.production.values() for r in p.get("ratelimits", [])}
        )
        self.say(f"rate limits {', '.join(limits)}: declared in the configs, nothing to create")
        self.write_ids()
        self.migrations()
        self.secrets()
        self.deploy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print every step, call nothing")
    parser.add_argument("--write-ids", action="store_true", help="write the state's ids into the configs and stop")
    parser.add_argument("--state", default=".deploy/state.json", help="what earlier runs found or created")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent), help="the configs' folder")
    args = parser.parse_args()
    state = Path(args.state) if Path(args.state).is_absolute() else Path(args.root) / args.state
    deploy = Deploy(args.root, state, args.dry_run)
    if args.write_ids:
        deploy.write_ids()
    else:
        deploy.all()


if __name__ == "__main__":
    main()
