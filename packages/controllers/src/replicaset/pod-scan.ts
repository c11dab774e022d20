// The pass a ReplicaSet sync makes over its candidate pods — which it owns, adopts or releases
// (planClaims over active pods) and what the owned ones count for its status (countPods) — with
// what it reads of each pod memoized per cached pod object. The informer replaces a pod's object
// on every change and never mutates it (caches are frozen under test), so a memo keyed by the
// object stays right for as long as that object is cached. A sync of a 10,000-pod ReplicaSet then
// reads afresh only the pods that changed since the last one: walking every pod's nested objects
// is memory-bound and cost milliseconds per sync.
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import { getControllerOf, selectorFromSet, type Selector } from '@mini-kube/machinery';
import type { ClaimPlan, LabelMatcher } from './claim.js';
import { labelMatcher } from './label-matcher.js';
import type { PodCounts } from './plan.js';
import { isPodActive, readyCondition } from './pods.js';
import type { PodObject } from './types.js';

interface PodFacts {
  active: boolean;
  /** Has a controller reference; the uid it names. */
  controlled: boolean;
  controllerUid: string | undefined;
  /** Ready since (ms), NaN when the time is unknown; undefined when not ready. */
  readySince: number | undefined;
  /** The last two selectors matched against (by selectorId, 0 for none) and their results. */
  id0: number;
  id1: number;
  match0: boolean;
  match1: boolean;
}

const memo = new WeakMap<PodObject, PodFacts>();

function factsOf(pod: PodObject): PodFacts {
  let facts = memo.get(pod);
  if (!facts) {
    const ready = readyCondition(pod);
    const ref = getControllerOf(pod);
    facts = {
      active: isPodActive(pod),
      controlled: ref !== undefined,
      controllerUid: ref?.uid,
      readySince: ready?.status === 'True' ? (ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN) : undefined,
      id0: 0,
      id1: 0,
      match0: false,
      match1: false,
    };
    memo.set(pod, facts);
  }
  return facts;
}

/**
 * Small numbers for selectors (by canonical string), so a memo hit is a number comparison. Ids are
 * never reused: when the table is dropped to bound it, memoized ids simply stop matching.
 */
const selectorIds = new Map<string, number>();
let nextSelectorId = 1;

function selectorId(selector: Selector): number {
  // "everything" and "nothing" have the same (empty) string: keep them apart.
  const key = selector.requirements.length > 0 ? selector.toString() : selector.matches({}) ? '<everything>' : '<nothing>';
  let id = selectorIds.get(key);
  if (id === undefined) {
    if (selectorIds.size >= 10_000) selectorIds.clear();
    selectorIds.set(key, (id = nextSelectorId++));
  }
  return id;
}

/** A selector compiled, with the id its results are memoized under. */
interface KeyedMatcher {
  id: number;
  matcher: LabelMatcher;
}

// Compiled once per Selector (immutable; equal owner selectors share one, see
// cachedSelectorFromLabelSelector) and per template labels (by their JSON: each new version of a
// ReplicaSet brings new, equal labels). Bounded: past the bound the table starts afresh.
const keyedSelectors = new WeakMap<Selector, KeyedMatcher>();
const keyedTemplates = new Map<string, KeyedMatcher>();
const MAX_KEYED_TEMPLATES = 4096;

function keyed(selector: Selector): KeyedMatcher {
  let m = keyedSelectors.get(selector);
  if (m === undefined) keyedSelectors.set(selector, (m = { id: selectorId(selector), matcher: labelMatcher(selector) }));
  return m;
}

function keyedTemplate(labels: Record<string, string> = {}): KeyedMatcher {
  const key = JSON.stringify(labels);
  let m = keyedTemplates.get(key);
  if (m === undefined) {
    if (keyedTemplates.size >= MAX_KEYED_TEMPLATES) keyedTemplates.clear();
    keyedTemplates.set(key, (m = keyed(selectorFromSet(labels))));
  }
  return m;
}

function matches(pod: PodObject, facts: PodFacts, m: KeyedMatcher): boolean {
  if (facts.id0 === m.id) return facts.match0;
  if (facts.id1 === m.id) return facts.match1;
  const result = m.matcher.matches(pod.metadata.labels ?? {});
  // The older of the two slots gives way.
  facts.id1 = facts.id0;
  facts.match1 = facts.match0;
  facts.id0 = m.id;
  facts.match0 = result;
  return result;
}

export interface PodScan {
  plan: ClaimPlan<PodObject>;
  /** The counts of `plan.owned` (adopted pods are not in them). */
  counts: PodCounts;
}

/**
 * planClaimsFrom(rs, selector, lists) over the active pods of `lists` (the pods the ReplicaSet
 * controls, then the orphans of its namespace) and countPods(rs, owned, now), in one pass.
 */
export function scanPods(rs: ReplicaSet, selector: Selector, lists: readonly (readonly PodObject[])[], now: number): PodScan {
  const uid = rs.metadata?.uid;
  const namespace = rs.metadata?.namespace;
  const ownerDeleting = Boolean(rs.metadata?.deletionTimestamp);
  const own = keyed(selector);
  const template = keyedTemplate(rs.spec?.template?.metadata?.labels);
  const minReadyMs = (rs.spec?.minReadySeconds ?? 0) * 1000;
  const plan: ClaimPlan<PodObject> = { owned: [], adopt: [], release: [] };
  const counts: PodCounts = { replicas: 0, fullyLabeled: 0, ready: 0, available: 0 };
  for (const pods of lists) {
    for (const pod of pods) {
      const facts = factsOf(pod);
      if (!facts.active) continue;
      const match = matches(pod, facts, own);
      if (facts.controlled) {
        if (facts.controllerUid !== uid) continue;
        if (!match) {
          if (!ownerDeleting) plan.release.push(pod);
          continue;
        }
        plan.owned.push(pod);
        counts.replicas++;
        if (matches(pod, facts, template)) counts.fullyLabeled++;
        if (facts.readySince === undefined) continue;
        counts.ready++;
        if (minReadyMs === 0 || facts.readySince + minReadyMs < now) counts.available++;
      } else if (match && !ownerDeleting && !pod.metadata.deletionTimestamp && pod.metadata.namespace === namespace) {
        plan.adopt.push(pod);
      }
    }
  }
  return { plan, counts };
}
