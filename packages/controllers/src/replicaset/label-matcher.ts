// A label selector compiled for hot loops. The selectors controllers match thousands of pods
// against per sync are almost always plain `key=value` sets (a Deployment's ReplicaSet:
// app=…,pod-template-hash=…): those become a loop of property reads; anything else falls back to
// the selector's own matching.
import type { Selector } from '@mini-kube/machinery';
import type { LabelMatcher } from './claim.js';

type Labels = Record<string, string> | undefined;

/** A matcher equivalent to `selector.matches`, faster when every requirement is an equality. */
export function labelMatcher(selector: Selector): LabelMatcher {
  const pairs: [string, string][] = [];
  for (const r of selector.requirements) {
    const equality = r.operator === '=' || r.operator === '==' || r.operator === 'in';
    if (!equality || r.values.length !== 1) return selector;
    pairs.push([r.key, r.values[0]!]);
  }
  // No requirements means "everything" or "nothing": only the selector knows which.
  if (pairs.length === 0) return selector;
  return {
    matches(labels: Labels): boolean {
      if (labels === undefined) return false;
      for (const [key, value] of pairs) {
        // A string value can only equal an own property: an inherited one is never a string.
        if (labels[key] !== value) return false;
      }
      return true;
    },
  };
}

/** Two label sets are the same (absent and empty are). */
export function labelsEqual(a: Labels, b: Labels): boolean {
  if (a === b) return true;
  const aKeys = Object.keys(a ?? {});
  if (aKeys.length !== Object.keys(b ?? {}).length) return false;
  return aKeys.every((k) => Object.hasOwn(b!, k) && b![k] === a![k]);
}
