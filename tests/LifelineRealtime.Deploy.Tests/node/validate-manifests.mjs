// Reads a multi-document Kubernetes YAML stream on stdin, checks every object against the Kubernetes
// OpenAPI schema (kubernetes-models), and prints the objects as one JSON array on stdout.
// Exit 1 with the reasons on stderr if a document does not parse, has an unknown kind, or is invalid.
import { parseAllDocuments } from "yaml";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

const failures = [];
const objects = [];
for (const doc of parseAllDocuments(text)) {
  if (doc.errors.length > 0) {
    failures.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue;
  const { apiVersion, kind } = obj;
  const name = obj?.metadata?.name ?? "(no name)";
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    failures.push(`${name}: apiVersion and kind are required`);
    continue;
  }
  // Core group objects ("v1") live at kubernetes-models/v1, the others at kubernetes-models/<group>/<version>.
  let Model;
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    Model = module[kind];
  } catch {
    failures.push(`${kind} ${name}: no schema for ${apiVersion}/${kind}`);
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    failures.push(`${kind} ${name}: ${e.message}`);
    continue;
  }
  objects.push(obj);
}

if (failures.length > 0) {
  process.stderr.write(failures.join("\n") + "\n");
  process.exit(1);
}
process.stdout.write(JSON.stringify(objects));
