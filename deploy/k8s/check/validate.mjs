// Checks a stream of Kubernetes manifests (the output of `kubectl kustomize deploy/k8s`) without a cluster:
//   schema      each object against the JSON schema of its kind: Kubernetes' OpenAPI schemas (kubernetes-models)
//               and KEDA's CRD schemas (@kubernetes-models/keda): types, required fields, enums, formats;
//   fields      fields the schema does not know, which those JSON schemas let through but an API server with
//               strict field validation (kubectl's default) refuses: the objects are type-checked against the
//               same packages' TypeScript declarations, whose excess-property check catches them;
//   references  names one object gives another: Secret and ConfigMap keys, claims, volumes, ports, the
//               ScaledObjects' targets and authentication, the Services' selectors;
//   policy      what issue 21 asked for: memory for the largest file, budgets, spreading, KEDA's fallback,
//               scraping, network policies, the security context, the archive's group (checkPolicies); and
//               the start order (each publisher waits for its downstream queue) and relate's cap of 2 replicas.
// Usage: kubectl kustomize deploy/k8s | node validate.mjs [--self-test]
// --self-test puts known mistakes into the objects first and fails unless each of them is reported.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));

/** The package path of a kind's model, e.g. apps/v1 Deployment: kubernetes-models/apps/v1/Deployment. */
function modelPath({ apiVersion, kind }) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return undefined;
  if (apiVersion.startsWith("keda.sh/")) return `@kubernetes-models/keda/${apiVersion}/${kind}`;
  if (apiVersion.startsWith("monitoring.coreos.com/")) return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

function describe(object) {
  return `${object?.kind ?? "?"}/${object?.metadata?.name ?? "?"}`;
}

async function checkSchemas(objects, report) {
  for (const object of objects) {
    const path = modelPath(object);
    let model;
    try {
      model = path && (await import(path))[object.kind];
    } catch {
      model = undefined;
    }
    if (!model) {
      report(object, "", `no schema for apiVersion ${object?.apiVersion} kind ${object?.kind}`, "schema");
      continue;
    }
    try {
      new model(object).validate();
    } catch (error) {
      for (const line of String(error.message).split(/,\s*(?=data)/)) report(object, "", line.trim(), "schema");
    }
  }
}

/**
 * Writes each object as a TypeScript constant of its kind's interface, one property per line so that a line
 * number names a field, and type-checks them with tsc.
 */
function checkFields(objects, report) {
  const lines = [];
  const where = []; // per line: [object, field path]
  const typed = objects.filter((object) => modelPath(object));
  typed.forEach((object, i) => {
    lines.push(`import type { I${object.kind} as T${i} } from "${modelPath(object)}";`);
    where.push([object, ""]);
  });
  const emit = (object, value, path, prefix, suffix) => {
    const push = (text) => {
      lines.push(text);
      where.push([object, path]);
    };
    const entries = Array.isArray(value)
      ? value.map((item, i) => [`${path}[${i}]`, "", item])
      : value !== null && typeof value === "object"
        ? Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, `${JSON.stringify(key)}: `, item])
        : undefined;
    if (!entries) return push(`${prefix}${JSON.stringify(value)}${suffix}`);
    const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
    if (entries.length === 0) return push(`${prefix}${open}${close}${suffix}`);
    push(`${prefix}${open}`);
    entries.forEach(([itemPath, itemPrefix, item], i) => emit(object, item, itemPath, itemPrefix, i < entries.length - 1 ? "," : ""));
    push(`${close}${suffix}`);
  };
  typed.forEach((object, i) => emit(object, object, "", `export const object${i}: T${i} = `, ";"));

  const work = mkdtempSync(join(here, ".fields-"));
  try {
    writeFileSync(join(work, "manifests.ts"), lines.join("\n") + "\n");
    const tsc = spawnSync(
      process.execPath,
      [join(here, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--skipLibCheck", "--pretty", "false",
        "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "", join(work, "manifests.ts")],
      { encoding: "utf8" },
    );
    if (tsc.error) throw tsc.error;
    let last;
    for (const line of tsc.stdout.split("\n")) {
      const match = /^.*manifests\.ts\((\d+),\d+\): error TS\d+: (.*)$/.exec(line);
      if (match) {
        const [object, path] = where[Number(match[1]) - 1];
        last = { object, path, message: match[2] };
        report(object, path, match[2], "fields");
      } else if (line.trim() && !last) {
        report({}, "", `tsc: ${line}`, "fields");
      }
    }
    if (tsc.status !== 0 && !last) report({}, "", `tsc exited with ${tsc.status}: ${tsc.stderr}`, "fields");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const rabbitmqScalerKeys = new Set([
  "host", "hostFromEnv", "usernameFromEnv", "passwordFromEnv", "protocol", "mode", "value", "activationValue",
  "queueName", "vhostName", "useRegex", "excludeUnacknowledged", "pageSize", "operation", "timeout", "unsafeSsl",
]);

function checkReferences(objects, report) {
  const named = (kind) => new Map(objects.filter((o) => o.kind === kind).map((o) => [o.metadata?.name, o]));
  const secrets = named("Secret");
  const configMaps = named("ConfigMap");
  const claims = named("PersistentVolumeClaim");
  const deployments = named("Deployment");
  const triggerAuthentications = named("TriggerAuthentication");
  const keysOf = (object) => new Set(Object.keys({ ...object?.data, ...object?.stringData }));
  const needKey = (object, path, map, kind, name, key) => {
    if (!map.has(name)) report(object, path, `${kind} "${name}" is not among the objects`, "references");
    else if (key !== undefined && !keysOf(map.get(name)).has(key)) report(object, path, `${kind} "${name}" has no key "${key}"`, "references");
  };

  for (const object of objects) {
    if (object.kind === "Deployment") {
      const pod = object.spec?.template?.spec ?? {};
      const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
      (pod.volumes ?? []).forEach((volume, i) => {
        const claim = volume.persistentVolumeClaim?.claimName;
        if (claim !== undefined && !claims.has(claim)) report(object, `spec.template.spec.volumes[${i}]`, `PersistentVolumeClaim "${claim}" is not among the objects`, "references");
      });
      for (const list of ["initContainers", "containers"]) {
        (pod[list] ?? []).forEach((container, c) => {
          const at = `spec.template.spec.${list}[${c}]`;
          (container.envFrom ?? []).forEach((source, i) => {
            if (source.configMapRef) needKey(object, `${at}.envFrom[${i}]`, configMaps, "ConfigMap", source.configMapRef.name);
            if (source.secretRef) needKey(object, `${at}.envFrom[${i}]`, secrets, "Secret", source.secretRef.name);
          });
          (container.env ?? []).forEach((variable, i) => {
            const from = variable.valueFrom ?? {};
            if (from.secretKeyRef) needKey(object, `${at}.env[${i}]`, secrets, "Secret", from.secretKeyRef.name, from.secretKeyRef.key);
            if (from.configMapKeyRef) needKey(object, `${at}.env[${i}]`, configMaps, "ConfigMap", from.configMapKeyRef.name, from.configMapKeyRef.key);
          });
          (container.volumeMounts ?? []).forEach((mount, i) => {
            if (!volumes.has(mount.name)) report(object, `${at}.volumeMounts[${i}]`, `no volume "${mount.name}" in the pod`, "references");
          });
          const ports = new Set((container.ports ?? []).map((p) => p.name));
          for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
            const port = container[probe]?.httpGet?.port;
            if (typeof port === "string" && !ports.has(port)) report(object, `${at}.${probe}`, `no port named "${port}" in the container`, "references");
          }
        });
      }
    }
    if (object.kind === "ScaledObject") {
      const target = object.spec?.scaleTargetRef?.name;
      if (!deployments.has(target)) report(object, "spec.scaleTargetRef", `Deployment "${target}" is not among the objects`, "references");
      (object.spec?.triggers ?? []).forEach((trigger, i) => {
        const authentication = trigger.authenticationRef?.name;
        if (authentication !== undefined && !triggerAuthentications.has(authentication)) report(object, `spec.triggers[${i}]`, `TriggerAuthentication "${authentication}" is not among the objects`, "references");
        // A trigger's metadata is a map of strings to the CRD: its keys are the scaler's, checked here.
        if (trigger.type === "rabbitmq") {
          const metadata = trigger.metadata ?? {};
          for (const key of Object.keys(metadata)) {
            if (!rabbitmqScalerKeys.has(key)) report(object, `spec.triggers[${i}].metadata.${key}`, "not a parameter of KEDA's rabbitmq scaler", "references");
          }
          // A stage's queue is its name in lower case (StageQueues.Of), and so is its Deployment's.
          if (metadata.queueName !== target) report(object, `spec.triggers[${i}].metadata.queueName`, `scales Deployment "${target}" on the queue "${metadata.queueName}", not on its own`, "references");
        }
      });
    }
    if (object.kind === "PodMonitor") {
      (object.spec?.podMetricsEndpoints ?? []).forEach((endpoint, i) => {
        for (const part of ["username", "password"]) {
          const ref = endpoint.basicAuth?.[part];
          if (ref) needKey(object, `spec.podMetricsEndpoints[${i}].basicAuth.${part}`, secrets, "Secret", ref.name, ref.key);
        }
      });
    }
    if (object.kind === "TriggerAuthentication") {
      (object.spec?.secretTargetRef ?? []).forEach((ref, i) => needKey(object, `spec.secretTargetRef[${i}]`, secrets, "Secret", ref.name, ref.key));
    }
    if (object.kind === "Service" && object.spec?.selector) {
      const selector = Object.entries(object.spec.selector);
      const pods = [...deployments.values()].filter((d) => selector.every(([k, v]) => d.spec?.template?.metadata?.labels?.[k] === v));
      if (pods.length === 0) report(object, "spec.selector", "selects no Deployment's pods", "references");
      (object.spec.ports ?? []).forEach((port, i) => {
        const names = pods.flatMap((d) => (d.spec.template.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name)));
        if (typeof port.targetPort === "string" && pods.length > 0 && !names.includes(port.targetPort)) report(object, `spec.ports[${i}]`, `no container port named "${port.targetPort}"`, "references");
      });
    }
  }
}

/** "1536Mi", "1.5Gi", "512M", "1G" in bytes; NaN for what is not a quantity. */
function bytesOf(quantity) {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(quantity ?? ""));
  if (!match) return NaN;
  const units = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Number(match[1]) * (match[2] ? units[match[2]] : 1);
}

const MiB = 2 ** 20;
/** What the runtime takes before any document: the README's 130-260 MB resident after a run, rounded up. */
const runtimeBytes = 256 * MiB;
/** Peak bytes per byte of one document in clean or extract: 0.9 GB for a 60 MB text (README, Long documents). */
const documentFactor = 15;
/** Ingest holds a file up to three times while it reads it (the growing read buffer and its copy). */
const ingestFactor = 3;

/** The queue each publishing Deployment must wait for before it starts (compose's start order, downstream first). */
const downstreamQueues = { ingest: "clean", clean: "extract", extract: "store", store: "relate", api: "clean" };
/** Relate's replicas take turns on a PostgreSQL advisory lock: a second adds availability, more add nothing. */
const relateMaxReplicas = 2;

/** The value a container sets for an environment variable directly (not from a ConfigMap or Secret). */
function envValue(container, name) {
  return (container?.env ?? []).find((e) => e.name === name)?.value;
}

/** The TCP port a connection string or URL from the Secret reaches: its own, or its scheme's default. */
function portOf(value) {
  const text = String(value ?? "");
  const url = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?[^/:]+(?::(\d+))?/i.exec(text);
  if (url) return Number(url[2] ?? { amqp: 5672, amqps: 5671, http: 80, https: 443 }[url[1].toLowerCase()]);
  if (/(^|;)\s*Host\s*=/i.test(text)) return Number(/(^|;)\s*Port\s*=\s*(\d+)/i.exec(text)?.[2] ?? 5432);
  return undefined;
}

/**
 * What the operator asked of these manifests (issue 21), each checked so that it cannot go missing unnoticed:
 * memory limits that hold the largest accepted file at the stage's concurrency, and so on (see each part).
 */
function checkPolicies(objects, report) {
  const deployments = objects.filter((o) => o.kind === "Deployment");
  const deployment = (name) => deployments.find((d) => d.metadata?.name === name);

  // Telemetry: the OTLP endpoint is in the shared settings (empty by default), and every service reads them.
  const settings = objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "pipeline-settings");
  if (!settings || !Object.hasOwn(settings.data ?? {}, "OTEL_EXPORTER_OTLP_ENDPOINT")) report(settings ?? { kind: "ConfigMap", metadata: { name: "pipeline-settings" } }, "data", "no OTEL_EXPORTER_OTLP_ENDPOINT (empty by default: set, it exports traces and metrics)", "policy");
  for (const d of deployments) {
    (d.spec?.template?.spec?.containers ?? []).forEach((c, i) => {
      if (!(c.envFrom ?? []).some((e) => e.configMapRef?.name === "pipeline-settings")) report(d, `spec.template.spec.containers[${i}].envFrom`, "does not read the ConfigMap pipeline-settings", "policy");
    });
  }

  // Disruption budgets: one per stage (the api runs one replica and has none), which lets a drain go on.
  const selects = (selector, labels) => selector && Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v)
    && (selector.matchExpressions ?? []).every((e) => e.operator === "In" ? e.values.includes(labels?.[e.key]) : e.operator === "Exists" ? Object.hasOwn(labels ?? {}, e.key) : true);
  const budgets = objects.filter((o) => o.kind === "PodDisruptionBudget");
  for (const name of ["ingest", "clean", "extract", "store", "relate"]) {
    const d = deployment(name);
    if (!d) continue;
    const labels = d.spec?.template?.metadata?.labels;
    const mine = budgets.filter((b) => selects(b.spec?.selector, labels));
    if (mine.length !== 1) {
      report(d, "", mine.length === 0 ? "no PodDisruptionBudget selects its pods" : `${mine.length} PodDisruptionBudgets select its pods`, "policy");
      continue;
    }
    // With replicas left to KEDA, down to 1: only maxUnavailable lets such a single pod be moved.
    const { minAvailable, maxUnavailable } = mine[0].spec;
    const least = d.spec?.replicas ?? 1;
    if (minAvailable !== undefined && !(typeof minAvailable === "number" && minAvailable < least)) report(mine[0], "spec.minAvailable", `${minAvailable} of at least ${least} replica(s) of Deployment "${name}" would block every drain`, "policy");
    if (maxUnavailable !== undefined && maxUnavailable === 0) report(mine[0], "spec.maxUnavailable", "0 would block every drain", "policy");
  }

  // Spreading: each Deployment's pods across nodes, softly (a single node still runs them all).
  for (const d of deployments) {
    const constraints = d.spec?.template?.spec?.topologySpreadConstraints ?? [];
    const labels = d.spec?.template?.metadata?.labels;
    const byNode = constraints.find((c) => c.topologyKey === "kubernetes.io/hostname");
    if (!byNode) report(d, "spec.template.spec.topologySpreadConstraints", "does not spread its pods across nodes (kubernetes.io/hostname)", "policy");
    else {
      if (byNode.whenUnsatisfiable !== "ScheduleAnyway") report(d, "spec.template.spec.topologySpreadConstraints", `whenUnsatisfiable ${byNode.whenUnsatisfiable}: on too few nodes its pods would stay pending`, "policy");
      if (!selects(byNode.labelSelector, labels)) report(d, "spec.template.spec.topologySpreadConstraints", "its labelSelector does not select the Deployment's own pods", "policy");
    }
  }

  // Start order: a stage that publishes to the next one's queue starts only once that queue is declared and bound
  // (an init container asks the management API), as compose starts the stages downstream first; else what it
  // publishes before is routed nowhere. Relate publishes only to the api's own queue and waits for none.
  for (const [name, queue] of Object.entries(downstreamQueues)) {
    const d = deployment(name);
    if (!d) continue;
    const waits = (d.spec?.template?.spec?.initContainers ?? []).some((c) => (c.command ?? []).join(" ").includes(`/api/exchanges/%2F/${queue}/bindings/destination`));
    if (!waits) report(d, "spec.template.spec.initContainers", `none waits for the queue "${queue}" it publishes to: what it publishes before that queue is bound is lost`, "policy");
  }

  // KEDA: each ScaledObject falls back to a sane replica count when its scaler fails.
  for (const so of objects.filter((o) => o.kind === "ScaledObject")) {
    const { fallback, minReplicaCount = 0, maxReplicaCount = 100, triggers = [] } = so.spec ?? {};
    if (!fallback) {
      report(so, "spec.fallback", "none: a failing scaler leaves the stage at whatever replica count it had", "policy");
      continue;
    }
    if (!(fallback.failureThreshold >= 1)) report(so, "spec.fallback.failureThreshold", `${fallback.failureThreshold}: must be at least 1`, "policy");
    if (!(fallback.replicas >= Math.max(1, minReplicaCount) && fallback.replicas <= maxReplicaCount)) report(so, "spec.fallback.replicas", `${fallback.replicas}: not within ${Math.max(1, minReplicaCount)}..${maxReplicaCount}`, "policy");
    triggers.forEach((t, i) => {
      if (t.metricType === "Value") report(so, `spec.triggers[${i}].metricType`, "Value: KEDA's fallback works only with AverageValue triggers", "policy");
    });
    // Relate's decisions take turns across replicas (an advisory lock): more than 2 add no throughput.
    if (so.spec?.scaleTargetRef?.name === "relate" && !(maxReplicaCount <= relateMaxReplicas)) report(so, "spec.maxReplicaCount", `${maxReplicaCount}: relate's replicas take turns on a database lock, more than ${relateMaxReplicas} add no throughput`, "policy");
  }

  // Scraping: every pod says by annotation whether and where its /metrics is; one that is not scraped so
  // must be selected by a PodMonitor (components/prometheus-operator), on a port the pod has.
  const podMonitors = objects.filter((o) => o.kind === "PodMonitor");
  for (const d of deployments) {
    const annotations = d.spec?.template?.metadata?.annotations ?? {};
    const labels = d.spec?.template?.metadata?.labels;
    const ports = (d.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
    const at = "spec.template.metadata.annotations";
    const scrape = annotations["prometheus.io/scrape"];
    if (scrape === "true") {
      if (!ports.some((p) => String(p.containerPort) === annotations["prometheus.io/port"])) report(d, at, `prometheus.io/port "${annotations["prometheus.io/port"]}" is no container port`, "policy");
      if (annotations["prometheus.io/path"] !== "/metrics") report(d, at, `prometheus.io/path "${annotations["prometheus.io/path"]}" is not /metrics`, "policy");
    } else if (scrape === "false") {
      if (!podMonitors.some((m) => selects(m.spec?.selector, labels))) report(d, at, "prometheus.io/scrape false, and no PodMonitor selects its pods: its /metrics is never scraped", "policy");
    } else report(d, at, "no prometheus.io/scrape: its /metrics is never scraped", "policy");
    for (const m of podMonitors.filter((m) => selects(m.spec?.selector, labels))) {
      (m.spec.podMetricsEndpoints ?? []).forEach((e, i) => {
        if (!ports.some((p) => p.name === e.port)) report(m, `spec.podMetricsEndpoints[${i}].port`, `Deployment "${d.metadata.name}" has no port named "${e.port}"`, "policy");
      });
    }
  }

  // Network: a default deny, then what each pod must reach and be reached on. What a pod must reach follows from
  // what it is given: each Secret URL or connection string its containers read, the cluster DNS, and OTLP
  // (pipeline-settings has its endpoint). What it must be reached on: its Service's port, its /metrics port.
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  const hasType = (policy, type) => (policy.spec?.policyTypes ?? (type === "Ingress" ? ["Ingress"] : policy.spec?.egress ? ["Egress"] : [])).includes(type);
  const denyAll = policies.find((p) => Object.keys(p.spec?.podSelector ?? { x: 1 }).length === 0 && hasType(p, "Ingress") && hasType(p, "Egress") && !(p.spec.ingress?.length) && !(p.spec.egress?.length));
  if (!denyAll) report({ kind: "NetworkPolicy", metadata: { name: "default-deny" } }, "", "no default deny (podSelector {}, policyTypes Ingress and Egress, no rules) in the namespace", "policy");
  const secretsByName = new Map(objects.filter((o) => o.kind === "Secret").map((o) => [o.metadata?.name, { ...o.data, ...o.stringData }]));
  const allowed = (d, type, port, protocol = "TCP", which = () => true) => {
    const labels = d.spec?.template?.metadata?.labels;
    const namedPorts = (d.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
    const resolve = (p) => (typeof p === "string" ? namedPorts.find((n) => n.name === p)?.containerPort : p);
    return policies.some((policy) => which(policy) && selects(policy.spec?.podSelector, labels) && hasType(policy, type)
      && (policy.spec?.[type === "Ingress" ? "ingress" : "egress"] ?? []).some((rule) => !rule.ports?.length
        || rule.ports.some((p) => (p.protocol ?? "TCP") === protocol && (p.port === undefined || (resolve(p.port) <= port && port <= (p.endPort ?? resolve(p.port)))))));
  };
  for (const d of deployments) {
    const pod = d.spec?.template?.spec ?? {};
    const needs = new Map([["DNS", [53, "UDP"]]]);
    if (settings && Object.hasOwn(settings.data ?? {}, "OTEL_EXPORTER_OTLP_ENDPOINT")) needs.set("OTLP", [4317, "TCP"]);
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        const port = ref && portOf(secretsByName.get(ref.name)?.[ref.key]);
        if (port) needs.set(`${ref.key} (${e.name})`, [port, "TCP"]);
      }
    }
    for (const [what, [port, protocol]] of needs) {
      if (!allowed(d, "Egress", port, protocol)) report(d, "", `no NetworkPolicy lets its pods out to ${protocol} ${port}: ${what}`, "policy");
    }
    const annotations = d.spec?.template?.metadata?.annotations ?? {};
    if (annotations["prometheus.io/port"] && !allowed(d, "Ingress", Number(annotations["prometheus.io/port"]))) report(d, "", `no NetworkPolicy lets Prometheus in on its metrics port ${annotations["prometheus.io/port"]}`, "policy");
  }
  for (const service of objects.filter((o) => o.kind === "Service" && o.spec?.selector)) {
    const selector = Object.entries(service.spec.selector);
    for (const d of deployments.filter((d) => selector.every(([k, v]) => d.spec?.template?.metadata?.labels?.[k] === v))) {
      const named = (d.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
      for (const p of service.spec.ports ?? []) {
        const target = typeof p.targetPort === "string" ? named.find((n) => n.name === p.targetPort)?.containerPort : p.targetPort ?? p.port;
        // Only a policy for the Service's own pods counts: one that lets a scraper into every pod does not serve clients.
        const forService = (policy) => selector.every(([k, v]) => policy.spec?.podSelector?.matchLabels?.[k] === v);
        if (target && !allowed(d, "Ingress", target, p.protocol ?? "TCP", forService)) report(service, "", `no NetworkPolicy lets clients in to Deployment "${d.metadata.name}" on ${target}`, "policy");
      }
    }
  }

  // Security context kept: every pod non-root, every container on a read-only root, unprivileged, no capabilities.
  const pods = [
    ...deployments.map((d) => [d, d.spec?.template?.spec, "spec.template.spec"]),
    ...objects.filter((o) => o.kind === "CronJob").map((j) => [j, j.spec?.jobTemplate?.spec?.template?.spec, "spec.jobTemplate.spec.template.spec"]),
  ];
  for (const [owner, pod, at] of pods) {
    if (pod?.securityContext?.runAsNonRoot !== true) report(owner, `${at}.securityContext.runAsNonRoot`, "not true", "policy");
    for (const list of ["initContainers", "containers"]) {
      (pod?.[list] ?? []).forEach((c, i) => {
        const sc = c.securityContext ?? {};
        if (sc.readOnlyRootFilesystem !== true) report(owner, `${at}.${list}[${i}].securityContext.readOnlyRootFilesystem`, "not true", "policy");
        if (sc.allowPrivilegeEscalation !== false) report(owner, `${at}.${list}[${i}].securityContext.allowPrivilegeEscalation`, "not false", "policy");
        if (!(sc.capabilities?.drop ?? []).includes("ALL")) report(owner, `${at}.${list}[${i}].securityContext.capabilities`, "does not drop ALL", "policy");
      });
    }
  }

  // The archive: group-writable for whoever shares the group (fsGroup), and a retention job that can prune it.
  const ingestPod = deployment("ingest")?.spec?.template?.spec;
  if (ingestPod) {
    const dropVolume = (ingestPod.volumes ?? []).find((v) => v.persistentVolumeClaim?.claimName === "drop")?.name;
    const opener = (ingestPod.initContainers ?? []).find((c) => (c.volumeMounts ?? []).some((m) => m.name === dropVolume)
      && /chmod 2775/.test((c.command ?? []).join(" ")) && (c.command ?? []).join(" ").includes(".archive"));
    if (!ingestPod.securityContext?.fsGroup) report(deployment("ingest"), "spec.template.spec.securityContext.fsGroup", "none: the drop folder has no group to share", "policy");
    if (!opener) report(deployment("ingest"), "spec.template.spec.initContainers", "none makes the drop folder's .archive group-writable (chmod 2775): an uploader cannot prune it", "policy");
  }
  const retention = objects.find((o) => o.kind === "CronJob" && o.metadata?.name === "archive-retention");
  const retentionPod = retention?.spec?.jobTemplate?.spec?.template?.spec;
  if (!retention) report({ kind: "CronJob", metadata: { name: "archive-retention" } }, "", "missing: nothing documents or does the archive's retention", "policy");
  else {
    if (!(retentionPod?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === "drop")) report(retention, "spec.jobTemplate.spec.template.spec.volumes", "does not mount the claim drop", "policy");
    if (!(Number(envValue(retentionPod?.containers?.[0], "ARCHIVE_RETENTION_DAYS")) >= 1)) report(retention, "spec.jobTemplate.spec.template.spec.containers[0].env", "ARCHIVE_RETENTION_DAYS is not a number of days", "policy");
    if (retentionPod?.securityContext?.fsGroup !== ingestPod?.securityContext?.fsGroup) report(retention, "spec.jobTemplate.spec.template.spec.securityContext.fsGroup", "not ingest's: it could not delete in .archive", "policy");
  }

  // Memory: the largest file ingest takes, at each stage's concurrency, within its container's memory limit.
  const ingest = deployment("ingest")?.spec?.template?.spec?.containers?.[0];
  const maxFileBytes = Number(envValue(ingest, "Ingest__MaxFileBytes") ?? 64 * MiB);
  const memoryLimit = (container) => bytesOf(container?.resources?.limits?.memory);
  if (ingest) {
    const parallelism = Number(envValue(ingest, "Ingest__Parallelism") ?? 4);
    const need = runtimeBytes + parallelism * ingestFactor * maxFileBytes;
    if (!(memoryLimit(ingest) >= need)) report(deployment("ingest"), "spec.template.spec.containers[0].resources.limits.memory", `${ingest.resources?.limits?.memory} cannot hold ${parallelism} × ${maxFileBytes} bytes at once (Ingest__Parallelism × Ingest__MaxFileBytes): needs ${Math.ceil(need / MiB)}Mi`, "policy");
  }
  for (const [name, stage] of [["clean", "Clean"], ["extract", "Extract"]]) {
    const container = deployment(name)?.spec?.template?.spec?.containers?.[0];
    if (!container) {
      report({ kind: "Deployment", metadata: { name } }, "", "missing", "policy");
      continue;
    }
    const at = "spec.template.spec.containers[0]";
    const concurrency = Number(envValue(container, `Stages__${stage}__ConcurrentMessageLimit`));
    if (!(concurrency >= 1)) {
      report(deployment(name), `${at}.env`, `no Stages__${stage}__ConcurrentMessageLimit: its default follows the CPU limit, not the memory limit`, "policy");
      continue;
    }
    const need = runtimeBytes + concurrency * documentFactor * maxFileBytes;
    if (!(memoryLimit(container) >= need)) report(deployment(name), `${at}.resources.limits.memory`, `${container.resources?.limits?.memory} cannot hold ${concurrency} × ${maxFileBytes} bytes at once (concurrency × Ingest__MaxFileBytes): needs ${Math.ceil(need / MiB)}Mi`, "policy");
  }
}

async function check(objects) {
  const problems = [];
  const report = (object, path, message, kind) => problems.push(`${describe(object)}${path ? ` ${path}` : ""}: ${message} [${kind}]`);
  await checkSchemas(objects, report);
  checkFields(objects, report);
  checkReferences(objects, report);
  checkPolicies(objects, report);
  return problems;
}

/** Known mistakes, one of each kind, and a fragment of the problem each must be reported as. */
const mistakes = [
  {
    what: "a misspelt field in a Deployment's container",
    apply: (find) => { const c = find("Deployment", "clean").spec.template.spec.containers[0]; c.imagePulPolicy = "Always"; },
    expect: "Deployment/clean spec.template.spec.containers[0].imagePulPolicy: Object literal may only specify known properties",
  },
  {
    what: "a number given as a string in a ScaledObject",
    apply: (find) => { find("ScaledObject", "extract").spec.minReplicaCount = "1"; },
    expect: "ScaledObject/extract: data/spec/minReplicaCount must be integer [schema]",
  },
  {
    what: "a misspelt field in a ScaledObject's trigger",
    apply: (find) => { const t = find("ScaledObject", "store").spec.triggers[0]; t.authRef = t.authenticationRef; delete t.authenticationRef; },
    expect: "ScaledObject/store spec.triggers[0].authRef: Object literal may only specify known properties",
  },
  {
    what: "a Secret key that does not exist",
    apply: (find) => { find("Deployment", "ingest").spec.template.spec.containers[0].env.find((e) => e.valueFrom?.secretKeyRef).valueFrom.secretKeyRef.key = "messaging-rabbit"; },
    expect: 'Secret "pipeline-credentials" has no key "messaging-rabbit" [references]',
  },
  {
    what: "a ScaledObject watching another queue than its stage's",
    apply: (find) => { find("ScaledObject", "clean").spec.triggers[0].metadata.queueName = "cleaned"; },
    expect: 'ScaledObject/clean spec.triggers[0].metadata.queueName: scales Deployment "clean" on the queue "cleaned"',
  },
  {
    what: "a Deployment's replica count as a string",
    apply: (find) => { find("Deployment", "api").spec.replicas = "1"; },
    expect: "Deployment/api: data/spec/replicas must be integer [schema]",
  },
  {
    what: "a stage's concurrency raised without its memory limit",
    apply: (find) => { find("Deployment", "extract").spec.template.spec.containers[0].env.find((e) => e.name === "Stages__Extract__ConcurrentMessageLimit").value = "4"; },
    expect: "Deployment/extract spec.template.spec.containers[0].resources.limits.memory: 1536Mi cannot hold 4 ×",
  },
  {
    what: "a larger Ingest__MaxFileBytes without clean's memory limit",
    apply: (find) => { find("Deployment", "ingest").spec.template.spec.containers[0].env.find((e) => e.name === "Ingest__MaxFileBytes").value = String(256 * MiB); },
    expect: "Deployment/clean spec.template.spec.containers[0].resources.limits.memory: 1536Mi cannot hold 1 ×",
  },
  {
    what: "the OTLP endpoint gone from the shared settings",
    apply: (find) => { delete find("ConfigMap", "pipeline-settings").data.OTEL_EXPORTER_OTLP_ENDPOINT; },
    expect: "ConfigMap/pipeline-settings data: no OTEL_EXPORTER_OTLP_ENDPOINT",
  },
  {
    what: "a stage's PodDisruptionBudget gone",
    apply: (find, objects) => { objects.splice(objects.indexOf(find("PodDisruptionBudget", "extract")), 1); },
    expect: "Deployment/extract: no PodDisruptionBudget selects its pods [policy]",
  },
  {
    what: "relate's PodDisruptionBudget gone",
    apply: (find, objects) => { objects.splice(objects.indexOf(find("PodDisruptionBudget", "relate")), 1); },
    expect: "Deployment/relate: no PodDisruptionBudget selects its pods [policy]",
  },
  {
    what: "relate scaled beyond 2 replicas on its queue",
    apply: (find) => { const so = find("ScaledObject", "relate").spec; so.maxReplicaCount = 8; so.fallback.replicas = 4; },
    expect: "ScaledObject/relate spec.maxReplicaCount: 8: relate's replicas take turns on a database lock",
  },
  {
    what: "the store no longer waiting for the relate queue",
    apply: (find) => { delete find("Deployment", "store").spec.template.spec.initContainers; },
    expect: 'Deployment/store spec.template.spec.initContainers: none waits for the queue "relate"',
  },
  {
    what: "relate no longer let out to the database",
    apply: (find) => { const e = find("NetworkPolicy", "allow-postgres").spec.podSelector.matchExpressions[0]; e.values = e.values.filter((v) => v !== "relate"); },
    expect: "Deployment/relate: no NetworkPolicy lets its pods out to TCP 5432: storage-postgres",
  },
  {
    what: "a PodDisruptionBudget that blocks every drain",
    apply: (find) => { const b = find("PodDisruptionBudget", "store").spec; delete b.maxUnavailable; b.minAvailable = 1; },
    expect: 'PodDisruptionBudget/store spec.minAvailable: 1 of at least 1 replica(s) of Deployment "store" would block every drain',
  },
  {
    what: "ingest's pods no longer spread across nodes",
    apply: (find) => { delete find("Deployment", "ingest").spec.template.spec.topologySpreadConstraints; },
    expect: "Deployment/ingest spec.template.spec.topologySpreadConstraints: does not spread its pods across nodes",
  },
  {
    what: "a ScaledObject without fallback",
    apply: (find) => { delete find("ScaledObject", "clean").spec.fallback; },
    expect: "ScaledObject/clean spec.fallback: none",
  },
  {
    what: "a stage's pods no longer annotated for scraping",
    apply: (find) => { delete find("Deployment", "clean").spec.template.metadata.annotations["prometheus.io/scrape"]; },
    expect: "Deployment/clean spec.template.metadata.annotations: no prometheus.io/scrape",
  },
  {
    what: "a PodMonitor's basic auth from a Secret key that does not exist",
    apply: (find) => { find("PodMonitor", "pipeline-api").spec.podMetricsEndpoints[0].basicAuth.password.key = "api-reed-key"; },
    expect: 'PodMonitor/pipeline-api spec.podMetricsEndpoints[0].basicAuth.password: Secret "pipeline-credentials" has no key "api-reed-key"',
  },
  {
    what: "the namespace's default-deny NetworkPolicy gone",
    apply: (find, objects) => { objects.splice(objects.indexOf(find("NetworkPolicy", "default-deny")), 1); },
    expect: "NetworkPolicy/default-deny: no default deny",
  },
  {
    what: "the store no longer let out to the database",
    apply: (find) => { find("NetworkPolicy", "allow-postgres").spec.podSelector.matchExpressions[0].values = ["api"]; },
    expect: "Deployment/store: no NetworkPolicy lets its pods out to TCP 5432: storage-postgres",
  },
  {
    what: "the api's port closed",
    apply: (find, objects) => { objects.splice(objects.indexOf(find("NetworkPolicy", "allow-api")), 1); },
    expect: 'Service/api: no NetworkPolicy lets clients in to Deployment "api" on 8080',
  },
  {
    what: "ingest's init container that opens the archive to the group gone",
    apply: (find) => { const p = find("Deployment", "ingest").spec.template.spec; p.initContainers = p.initContainers.filter((c) => c.name !== "drop-folders-group-writable"); },
    expect: "Deployment/ingest spec.template.spec.initContainers: none makes the drop folder's .archive group-writable",
  },
  {
    what: "the retention job on a writable root file system",
    apply: (find) => { find("CronJob", "archive-retention").spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false; },
    expect: "CronJob/archive-retention spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem: not true",
  },
];

const stream = readFileSync(0, "utf8");
const documents = parseAllDocuments(stream);
const parseErrors = documents.flatMap((d) => d.errors.map((e) => `yaml: ${e.message}`));
if (parseErrors.length > 0) {
  console.error(parseErrors.join("\n"));
  process.exit(1);
}
const objects = documents.map((d) => d.toJS()).filter((o) => o !== null);
const started = performance.now();

if (process.argv.includes("--self-test")) {
  const find = (kind, name) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
  mistakes.forEach((m) => m.apply(find, objects));
  const problems = await check(objects);
  let missed = 0;
  for (const m of mistakes) {
    const found = problems.filter((p) => p.includes(m.expect));
    console.log(`${found.length > 0 ? "reported" : "MISSED  "}  ${m.what}${found.length > 0 ? `:\n            ${found.join("\n            ")}` : ""}`);
    if (found.length === 0) missed++;
  }
  console.log(`k8s check self-test: ${mistakes.length - missed} of ${mistakes.length} known mistakes reported (${problems.length} problems in all)`);
  process.exit(missed === 0 ? 0 : 1);
}

const problems = await check(objects);
problems.forEach((p) => console.log(p));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`k8s manifests: ${objects.length} objects checked (schema, fields, references, policy), ${problems.length} problems, ${seconds} s`);
process.exit(problems.length === 0 ? 0 : 1);
