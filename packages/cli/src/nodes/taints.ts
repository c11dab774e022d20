// `taint` arguments and their effect on a node's taints, as kubectl's taint command parses and
// applies them. Pure.
import { CliError } from '../errors.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface TaintChanges {
  add: Taint[];
  remove: { key: string; effect?: string }[];
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** `k=v:NoSchedule`, `k:NoSchedule` add; `k-`, `k:NoSchedule-` remove. */
export function parseTaints(specs: string[]): TaintChanges {
  const changes: TaintChanges = { add: [], remove: [] };
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const [key, effect] = spec.slice(0, -1).split(':') as [string, string?];
      if (effect && !EFFECTS.has(effect)) throw new CliError(`invalid taint effect: ${effect}, unsupported taint effect`);
      changes.remove.push(effect ? { key, effect } : { key });
      continue;
    }
    const colon = spec.lastIndexOf(':');
    if (colon < 0) throw new CliError(`invalid taint spec: ${spec}`);
    const effect = spec.slice(colon + 1);
    if (!EFFECTS.has(effect)) throw new CliError(`invalid taint spec: ${spec}, unsupported taint effect`);
    const [key, value] = spec.slice(0, colon).split('=', 2) as [string, string?];
    changes.add.push(value === undefined ? { key, effect } : { key, value, effect });
  }
  return changes;
}

/** The node's new taints; throws as kubectl does for conflicts and unknown removals. */
export function applyTaints(nodeName: string, current: Taint[], changes: TaintChanges, overwrite: boolean): { taints: Taint[] } {
  let taints = [...current];
  for (const t of changes.add) {
    const i = taints.findIndex((c) => c.key === t.key && c.effect === t.effect);
    if (i >= 0) {
      if (!overwrite) throw new CliError(`node ${nodeName} already has ${t.key} taint(s) with same effect(s) and --overwrite is false`);
      taints[i] = t;
    } else taints.push(t);
  }
  for (const r of changes.remove) {
    const kept = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
    if (kept.length === taints.length) throw new CliError(`taint ${JSON.stringify(r.effect ? `${r.key}:${r.effect}` : r.key)} not found`);
    taints = kept;
  }
  return { taints };
}
