// The measured phases of api-load, shared with profile.mjs: each takes a keep-alive pool to a daemon.
import { performance } from 'node:perf_hooks';
import { expectStatus, latencies, makePod, podName, round, runConcurrent, spread, watchStream } from './lib.mjs';

export const PODS = 10_000;
export const CREATE_IN_FLIGHT = 32;
export const GETS = 5_000;
export const GET_IN_FLIGHT = 4;
export const LISTS = 5;
export const UPDATES = 2_000;
const EVENT_TIMEOUT_MS = 5_000;
const PODS_PATH = '/api/v1/namespaces/default/pods';
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
export const GOAL = { createPerSec: 3000, getP99Ms: 5, listMedianMs: 100, watchP99Ms: 10 };

const randomPod = () => podName(Math.floor(Math.random() * PODS));

export async function createPods(http) {
  const each = [];
  const t0 = performance.now();
  await runConcurrent(PODS, CREATE_IN_FLIGHT, async (i) => {
    const res = await http.call('POST', PODS_PATH, makePod(i));
    expectStatus(res, 201, `create pod ${i}`);
    each.push(res.ms);
  });
  const seconds = (performance.now() - t0) / 1000;
  return { objectsPerSec: round(PODS / seconds, 0), totalSec: round(seconds), requestMs: latencies(each) };
}

export async function getRandomPods(http) {
  const each = [];
  const t0 = performance.now();
  await runConcurrent(GETS, GET_IN_FLIGHT, async () => {
    const res = await http.call('GET', `${PODS_PATH}/${randomPod()}`);
    expectStatus(res, 200, 'get pod');
    each.push(res.ms);
  });
  return { ...latencies(each), requestsPerSec: round(GETS / ((performance.now() - t0) / 1000), 0) };
}

export async function listPods(http, accept) {
  const each = [];
  let bytes = 0;
  for (let run = 0; run < LISTS; run++) {
    const res = await http.call('GET', PODS_PATH, undefined, undefined, accept);
    expectStatus(res, 200, 'list pods');
    const items = JSON.parse(res.body)[accept === TABLE_ACCEPT ? 'rows' : 'items'];
    if (items.length !== PODS) throw new Error(`list returned ${items.length} of ${PODS} pods`);
    each.push(res.ms);
    bytes = Buffer.byteLength(res.body);
  }
  return { ms: spread(each), responseMiB: round(bytes / 2 ** 20) };
}

/**
 * Opens a watch on the pods from the current revision, then labels random pods one at a time with a
 * sequence number and times each MODIFIED event from just before the PATCH is sent and from its answer.
 */
export async function watchLatency(http, url) {
  const list = await http.call('GET', `${PODS_PATH}?limit=1`);
  const fromRevision = JSON.parse(list.body).metadata.resourceVersion;
  const waiting = new Map(); // seq → resolve(arrival time)
  const watch = await watchStream(url, `${PODS_PATH}?watch=1&resourceVersion=${fromRevision}`, (event, arrived) => {
    const seq = event.object?.metadata?.labels?.['bench-seq'];
    if (event.type === 'MODIFIED' && waiting.has(seq)) waiting.get(seq)(arrived);
  });

  const fromSend = [];
  const fromAck = [];
  for (let i = 0; i < UPDATES; i++) {
    const seq = String(i);
    let timer;
    const arrival = new Promise((resolve, reject) => {
      waiting.set(seq, resolve);
      timer = setTimeout(() => reject(new Error(`no watch event for update ${i} within ${EVENT_TIMEOUT_MS} ms`)), EVENT_TIMEOUT_MS);
    });
    const sent = performance.now();
    const res = await http.call('PATCH', `${PODS_PATH}/${randomPod()}`, { metadata: { labels: { 'bench-seq': seq } } }, 'application/merge-patch+json');
    const acked = performance.now();
    expectStatus(res, 200, 'patch pod');
    const arrived = await arrival;
    clearTimeout(timer);
    waiting.delete(seq);
    fromSend.push(arrived - sent);
    fromAck.push(Math.max(0, arrived - acked)); // the event may beat the answer: that is zero latency
  }
  await watch.stop();
  return { fromAckMs: latencies(fromAck), fromSendMs: latencies(fromSend) };
}

