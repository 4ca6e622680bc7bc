// Cold start, locally: for each worker bundle, a fresh workerd (through
// Miniflare) is started and asked for /healthz; the time to its first answer
// is startup plus the first request to a fresh isolate (module compile and
// instantiation included), then a second request shows the warm cost.
// Usage: node tests/bench/cold_start.mjs label=dir [label=dir ...]
// (dir holds index.js and index_bg.wasm, or worker.js for a JS worker).
import { Miniflare } from "miniflare";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const RUNS = 5;

async function once(relative) {
  const dir = resolve(relative);
  const js = existsSync(join(dir, "index.js")) ? join(dir, "index.js") : join(dir, "worker.js");
  const started = performance.now();
  const mf = new Miniflare({
    scriptPath: js,
    modulesRoot: dir,
    modules: true,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    d1Databases: ["DB"],
    kvNamespaces: ["CACHE"],
    r2Buckets: ["DOCUMENT_STORE"],
    queueProducers: ["JOBS", "DOCUMENTS"],
    bindings: { PUBLIC_ORIGIN: "https://council-digest.test" },
  });
  await mf.ready;
  const ready = performance.now();
  const first = await mf.dispatchFetch("http://127.0.0.1/healthz");
  await first.text();
  const answered = performance.now();
  const second = await mf.dispatchFetch("http://127.0.0.1/healthz");
  await second.text();
  const warm = performance.now();
  await mf.dispose();
  if (first.status !== 200) throw new Error(`${dir}: /healthz answered ${first.status}`);
  return { ready: ready - started, first: answered - ready, total: answered - started, warm: warm - answered };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(
  `${"worker".padEnd(30)} ${"wasm KiB".padStart(9)} ${"start ms".padStart(9)} ${"1st req ms".padStart(11)} ${"to 1st ms".padStart(10)} ${"warm ms".padStart(8)}`,
);
for (const arg of process.argv.slice(2)) {
  const [label, dir] = arg.split("=");
  const wasm = join(dir, "index_bg.wasm");
  const kib = existsSync(wasm) ? (statSync(wasm).size / 1024).toFixed(0) : "-";
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(dir));
  const m = (key) => median(runs.map((r) => r[key])).toFixed(1);
  console.log(
    `${label.padEnd(30)} ${kib.padStart(9)} ${m("ready").padStart(9)} ${m("first").padStart(11)} ${m("total").padStart(10)} ${m("warm").padStart(8)}`,
  );
}
console.log(`(median of ${RUNS} fresh workerd processes each; Miniflare on this machine, not the edge)`);
