// Shared helpers of the benchmarks: start/stop a real bin/mini-kubed, HTTP load, statistics, reporting.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Pool, request as undiciRequest } from 'undici';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// MINI_KUBED_BIN: another copy of bin/ + dist/ (e.g. a snapshot, so that rebuilds of dist/ during a long
// run do not change the source map a profile is read with).
const DAEMON_BIN = process.env.MINI_KUBED_BIN ?? join(ROOT, 'bin', 'mini-kubed');

// Whatever a benchmark starts dies with it, even when it throws or is interrupted.
const children = new Set();
const dirs = new Set();
function cleanupNow() {
  for (const child of children) killGroup(child.pid);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', cleanupNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanupNow();
    process.exit(130);
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Builds dist/ when it is missing (bin/mini-kubed loads the bundle). */
export function ensureBuilt() {
  if (existsSync(join(ROOT, 'dist', 'mini-kubed.js'))) return;
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('node scripts/build.mjs failed');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function makeTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** One GET /readyz on a fresh connection: true when it answers "ok". */
async function readyzOk(url) {
  try {
    const res = await undiciRequest(`${url}/readyz`, { reset: true, headersTimeout: 2000, bodyTimeout: 2000 });
    return res.statusCode === 200 && (await res.body.text()).trim() === 'ok';
  } catch {
    return false; // not listening yet
  }
}

/**
 * Spawns bin/mini-kubed on a fresh temp data dir and a free port and waits for /readyz = ok, polling
 * every `pollMs`. `readyMs` is the time from just before spawn to that answer. `cpuProfDir` runs the
 * daemon under `node --cpu-prof` (the profile is written there when it exits); `args` are more daemon flags.
 */
/** `bin`: the mini-kubed to start (default MINI_KUBED_BIN, else this checkout's), e.g. two builds side by side. */
export async function startDaemon({ store = 'sqlite', pollMs = 2, timeoutMs = 30_000, cpuProfDir, memoryProbe = false, args: extraArgs = [], bin = DAEMON_BIN } = {}) {
  const dataDir = makeTempDir('mini-kubed-bench-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // MINI_KUBED_NODE_ARGS: node flags for the daemon (e.g. V8 heap flags), split on spaces.
  const nodeArgs = [...(process.env.MINI_KUBED_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [])];
  const args = [...nodeArgs, bin, '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--store', store, '--log-level', 'warn', ...extraArgs];
  const started = performance.now();
  // Detached: the daemon leads a process group, so anything it starts is killed with it.
  const env = memoryProbe ? { ...process.env, NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(memoryPreload())}` } : process.env;
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let output = '';
  // MINI_KUBED_OUTPUT: a file that gets all of the daemon's output (e.g. with MINI_KUBED_NODE_ARGS=--trace-gc).
  const outputFile = process.env.MINI_KUBED_OUTPUT;
  const keep = (chunk) => {
    if (outputFile) appendFileSync(outputFile, chunk);
    output = (output + chunk.toString()).slice(-8192);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let exitCode;
  void exited.then((code) => (exitCode = code));

  const deadline = started + timeoutMs;
  while (!(await readyzOk(url))) {
    if (exitCode !== undefined || performance.now() > deadline) {
      killGroup(child.pid);
      throw new Error(`mini-kubed ${exitCode !== undefined ? `exited (${exitCode})` : 'never became ready'}\n${output}`);
    }
    await sleep(pollMs);
  }
  const readyMs = performance.now() - started;

  return {
    url,
    pid: child.pid,
    dataDir,
    readyMs,
    kubeconfig: join(dataDir, 'kubeconfig'),
    output: () => output,
    /** SIGTERM, SIGKILL after `graceMs`, then removes the data dir. */
    async stop(graceMs = 10_000) {
      if (exitCode === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      killGroup(child.pid);
      children.delete(child);
      rmSync(dataDir, { recursive: true, force: true });
      dirs.delete(dataDir);
      return code;
    },
  };
}

/** Resident memory of a process in MiB, from /proc/<pid>/status (VmRSS). */
// A daemon started with `memoryProbe: true` loads this preload: on SIGUSR2 it writes its
// process.memoryUsage() to <dir>/memory-<pid>.json, so a benchmark can report its V8 heap.
let memoryDir;
function memoryPreload() {
  memoryDir ??= makeTempDir('mini-kubed-memory-');
  return `import{writeFileSync}from'node:fs';process.on('SIGUSR2',()=>writeFileSync('${memoryDir}/memory-'+process.pid+'.json',JSON.stringify(process.memoryUsage())));`;
}

async function heapMiB(pid) {
  const file = join(memoryDir, `memory-${pid}.json`);
  const writtenAt = () => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const since = writtenAt();
  process.kill(pid, 'SIGUSR2');
  for (const deadline = performance.now() + 10_000; writtenAt() <= since; await sleep(20)) {
    if (performance.now() > deadline) throw new Error(`daemon ${pid} wrote no memory usage (started without memoryProbe?)`);
  }
  const { heapUsed, heapTotal } = JSON.parse(readFileSync(file, 'utf8'));
  return { heapUsedMiB: round(heapUsed / 2 ** 20, 1), heapTotalMiB: round(heapTotal / 2 ** 20, 1) };
}

/** Medians of a memoryProbe daemon's RSS, heapUsed and heapTotal (MiB) over `samples` samples 1 s apart. */
export async function daemonMemory(pid, samples = 5) {
  const taken = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(1000);
    taken.push({ rssMiB: rssMiB(pid), ...(await heapMiB(pid)) });
  }
  return Object.fromEntries(['rssMiB', 'heapUsedMiB', 'heapTotalMiB'].map((k) => [k, median(taken.map((s) => s[k]))]));
}

export function rssMiB(pid) {
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return round(kib / 1024, 1);
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** The clock of V8 .cpuprofile timestamps (CLOCK_MONOTONIC microseconds), to window profile summaries. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Streams a watch (`path` with ?watch=1 and the resourceVersion to start from) and calls
 * `onEvent(event, arrivedMs)` per event. `stop()` ends it; `done` rejects if the stream fails first.
 * `mayMatter(line)`, when given, skips the lines it says no to without decoding them: the benchmark
 * shares the daemon's cores, so it decodes only what it may use.
 */
export async function watchStream(url, path, onEvent, mayMatter = () => true) {
  const controller = new AbortController();
  const res = await undiciRequest(`${url}${path}`, { signal: controller.signal, bodyTimeout: 0, headersTimeout: 30_000 });
  expectStatus({ status: res.statusCode, body: '' }, 200, `watch ${path}`);
  let buffered = '';
  const done = (async () => {
    for await (const chunk of res.body) {
      const arrived = performance.now();
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() && mayMatter(line)) onEvent(JSON.parse(line), arrived);
      }
    }
  })().catch((err) => {
    if (!controller.signal.aborted) throw err;
  });
  return {
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

/** A keep-alive connection pool to the daemon. `call` returns { status, body (text), ms }. */
export function httpPool(url, connections) {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  return {
    async call(method, path, body, contentType = 'application/json', accept = 'application/json') {
      const headers = { accept };
      if (body !== undefined) headers['content-type'] = contentType;
      const t0 = performance.now();
      const res = await pool.request({ method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const chunks = [];
      for await (const chunk of res.body) chunks.push(chunk);
      // `ms` ends at the last byte received: decoding the body into a string is the client's own work.
      const ms = performance.now() - t0;
      return { status: res.statusCode, body: Buffer.concat(chunks).toString(), ms };
    },
    close: () => pool.close(),
  };
}

/** Runs `task(i)` for i in [0, total) with at most `concurrency` in flight. */
export async function runConcurrent(total, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

export function expectStatus(res, wanted, what) {
  if (res.status !== wanted) throw new Error(`${what}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
}

export function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Nearest-rank percentile of an unsorted sample. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** { median, min, max } in ms, rounded. */
export function spread(values) {
  return { median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)) };
}

export function latencies(values) {
  return { p50: round(percentile(values, 50)), p90: round(percentile(values, 90)), p99: round(percentile(values, 99)), max: round(Math.max(...values)) };
}

/** Machine facts recorded with every result, so figures from different hosts are not compared blindly. */
export function hostConditions() {
  const cpus = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 0;
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
  const load1 = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  return { node: process.version, cpus, cpuModel: model, loadAvg1m: load1 };
}

/** Prints the one JSON line of a benchmark. */
export function report(name, conditions, results, goal, ok) {
  process.stdout.write(`${JSON.stringify({ name, conditions: { ...conditions, ...hostConditions() }, results, goal, ok })}\n`);
}

/** A pod as a Deployment would make it: labels, one container with resources, ports, env and a probe. */
const TEMPLATE_HASH = '7d4b9c8f6d';

export const podName = (i) => `web-${TEMPLATE_HASH}-${i.toString(36).padStart(5, '0')}`;

export function makePod(i, namespace = 'default') {
  const hash = TEMPLATE_HASH;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(i),
      namespace,
      labels: { app: 'web', tier: 'frontend', 'pod-template-hash': hash, 'app.kubernetes.io/version': '1.4.2' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' },
    },
    spec: {
      // No scheduler picks these up: the benchmark measures the API, not pods starting.
      schedulerName: 'bench-no-scheduler',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/shop/web:1.4.2',
          command: ['node', 'server.js'],
          args: ['--port=8080', '--log-format=json'],
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
          ],
          env: [
            { name: 'NODE_ENV', value: 'production' },
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
        },
      ],
    },
  };
}
