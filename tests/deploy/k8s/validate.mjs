// Offline check of the Kubernetes manifests: every document against the Kubernetes API schema
// (kubernetes-models' generated validators: types, enums, required fields, quantities), then what
// cinesub's Jobs must have (an Indexed Job whose index picks the film, a read-only model cache, a
// writable output volume, requests, a GPU for cuda, a non-root pod) and that every volume, claim and
// ConfigMap a pod names is defined. kubernetes-models does not reject unknown fields, so the cinesub
// checks read each field they need from its exact path: a misspelt key fails them.
//
//   node validate.mjs FILE.yaml...          exit 1 with one line per problem
//   node validate.mjs --self-test FILE...   broken copies of the Jobs must each be rejected
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseAllDocuments } from "yaml";

async function modelClass(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  const mod = await import(path);
  return mod[kind];
}

function load(files) {
  const docs = [];
  for (const file of files) {
    for (const d of parseAllDocuments(readFileSync(file, "utf8"))) {
      if (d.errors.length) throw new Error(`${file}: YAML: ${d.errors[0].message}`);
      const value = d.toJS();
      if (value) docs.push({ file: basename(file), value });
    }
  }
  return docs;
}

async function schemaErrors(doc) {
  const { apiVersion, kind } = doc;
  if (!apiVersion || !kind) return ["no apiVersion/kind"];
  let Model;
  try {
    Model = await modelClass(apiVersion, kind);
  } catch {
    return [`unknown kind ${apiVersion} ${kind}`];
  }
  try {
    new Model(structuredClone(doc)).validate();
    return [];
  } catch (e) {
    return [String(e.message)];
  }
}

// What cinesub's Jobs need, and that the names they use exist among `all`.
function cinesubErrors(doc, all) {
  const errors = [];
  if (doc.kind !== "Job") return errors;
  const need = (ok, what) => ok || errors.push(what);
  const spec = doc.spec ?? {};
  const pod = spec.template?.spec ?? {};
  need(spec.completionMode === "Indexed", "spec.completionMode is not Indexed");
  need(Number.isInteger(spec.completions) && spec.completions > 0, "spec.completions is not a positive integer");
  need(Number.isInteger(spec.backoffLimitPerIndex), "spec.backoffLimitPerIndex is not set");
  need(pod.restartPolicy === "Never", "the pod's restartPolicy is not Never");
  need(pod.securityContext?.runAsNonRoot === true, "the pod does not run as non-root");
  const c = (pod.containers ?? []).find((x) => x.name === "cinesub");
  if (!c) return [...errors, "no container named cinesub"];
  const args = c.args ?? [];
  const at = (flag) => args[args.indexOf(flag) + 1];
  need(args[0] === "batch", "the container does not run `cinesub batch`");
  need(args.includes("--index") && at("--index") === "$(JOB_COMPLETION_INDEX)",
    "--index is not $(JOB_COMPLETION_INDEX)");
  need(c.securityContext?.readOnlyRootFilesystem === true, "the root file system is writable");
  const req = c.resources?.requests ?? {};
  need(req.cpu !== undefined && req.memory !== undefined, "no CPU/memory requests");
  const cuda = String(c.image ?? "").endsWith(":cuda");
  const gpu = c.resources?.limits?.["nvidia.com/gpu"];
  need(cuda ? gpu !== undefined : gpu === undefined, cuda ? "cuda image without an nvidia.com/gpu limit"
    : "cpu image asks for a GPU");
  const env = Object.fromEntries((c.env ?? []).filter((e) => "value" in e).map((e) => [e.name, e.value]));
  const volumes = Object.fromEntries((pod.volumes ?? []).map((v) => [v.name, v]));
  const mounts = c.volumeMounts ?? [];
  for (const m of mounts) need(volumes[m.name], `volumeMount ${m.name} has no volume`);
  const mountAt = (path) => mounts.find((m) => m.mountPath === path);
  const claims = Object.fromEntries(all.filter((d) => d.kind === "PersistentVolumeClaim")
    .map((d) => [d.metadata?.name, d]));
  const configMaps = new Set(all.filter((d) => d.kind === "ConfigMap").map((d) => d.metadata?.name));
  for (const v of Object.values(volumes)) {
    if (v.persistentVolumeClaim) need(claims[v.persistentVolumeClaim.claimName],
      `volume ${v.name}: no PersistentVolumeClaim ${v.persistentVolumeClaim.claimName}`);
    if (v.configMap) need(configMaps.has(v.configMap.name), `volume ${v.name}: no ConfigMap ${v.configMap.name}`);
  }
  const models = mountAt(env.CINESUB_MODEL_DIR);
  if (!models) {
    errors.push("CINESUB_MODEL_DIR is not a mounted volume");
  } else {
    const claim = claims[volumes[models.name]?.persistentVolumeClaim?.claimName];
    need(models.readOnly === true, "the model cache is mounted writable");
    need(claim?.spec?.accessModes?.includes("ReadOnlyMany"), "the model cache's claim is not ReadOnlyMany");
  }
  const out = mountAt(env.CINESUB_OUT);
  need(out && !out.readOnly, "CINESUB_OUT is not a writable mounted volume");
  const list = at("--list");
  need(list && mounts.some((m) => list.startsWith(m.mountPath + "/")), "the --list file is not on a mounted volume");
  return errors;
}

async function check(docs) {
  const problems = [];
  const values = docs.map((d) => d.value);
  for (const d of docs) {
    const name = `${d.file}: ${d.value.apiVersion} ${d.value.kind} ${d.value.metadata?.name}`;
    const errs = [...(await schemaErrors(d.value)), ...cinesubErrors(d.value, values)];
    for (const e of errs) problems.push(`${name}: ${e}`);
    if (!errs.length) console.log(`ok   ${name}`);
  }
  return problems;
}

const argv = process.argv.slice(2);
const selfTest = argv[0] === "--self-test";
const docs = load(selfTest ? argv.slice(1) : argv);
const problems = await check(docs);
for (const p of problems) console.log(`FAIL ${p}`);
if (problems.length) process.exit(1);
if (selfTest) {
  // Each broken copy of each Job must be rejected — by the schema or by the cinesub checks.
  const breaks = {
    "completions as text": (j) => { j.spec.completions = "three"; },
    "completionMode misspelt": (j) => { j.spec.completionMode = "Indexd"; },
    "completionMode key misspelt": (j) => { j.spec.completionsMode = j.spec.completionMode; delete j.spec.completionMode; },
    "no containers": (j) => { delete j.spec.template.spec.containers; },
    "cpu request not a quantity": (j) => { j.spec.template.spec.containers[0].resources.requests.cpu = "lots"; },
    "restartPolicy unknown": (j) => { j.spec.template.spec.restartPolicy = "Sometimes"; },
    "claim not defined": (j) => { j.spec.template.spec.volumes[0].persistentVolumeClaim.claimName = "nope"; },
    "model cache writable": (j) => { j.spec.template.spec.containers[0].volumeMounts[0].readOnly = false; },
    "index not from the Job": (j) => { const a = j.spec.template.spec.containers[0].args; a[a.indexOf("--index") + 1] = "0"; },
    "root user": (j) => { j.spec.template.spec.securityContext.runAsNonRoot = false; },
  };
  let failed = 0;
  for (const job of docs.filter((d) => d.value.kind === "Job")) {
    for (const [what, brk] of Object.entries(breaks)) {
      const copy = structuredClone(job.value);
      brk(copy);
      const others = docs.filter((d) => d !== job).map((d) => d.value);
      const errs = [...(await schemaErrors(copy)), ...cinesubErrors(copy, [...others, copy])];
      if (errs.length) {
        console.log(`ok   ${job.file}, ${what}: rejected (${errs[0].slice(0, 90)})`);
      } else {
        console.log(`FAIL ${job.file}, ${what}: accepted`);
        failed++;
      }
    }
  }
  if (failed) process.exit(1);
}
console.log(`${docs.length} documents valid${selfTest ? "; every broken copy rejected" : ""}`);
