// Node selector terms compiled once per pod into predicates over a node's name and labels:
// terms are ORed, the requirements of a term ANDed, an empty term matches nothing.
import type { NodeSelector, NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1';

export type NodeMatcher = (name: string, labels: Readonly<Record<string, string>>) => boolean;

const matchNone: NodeMatcher = () => false;

function parseInteger(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s.trim())) return undefined;
  return Number(s);
}

function labelRequirement(req: NodeSelectorRequirement): NodeMatcher {
  const { key } = req;
  const values = new Set(req.values ?? []);
  switch (req.operator) {
    case 'In':
      return (_n, labels) => key in labels && values.has(labels[key]!);
    case 'NotIn':
      return (_n, labels) => !(key in labels) || !values.has(labels[key]!);
    case 'Exists':
      return (_n, labels) => key in labels;
    case 'DoesNotExist':
      return (_n, labels) => !(key in labels);
    case 'Gt':
    case 'Lt': {
      const bound = parseInteger(req.values?.[0]);
      if (bound === undefined || req.values?.length !== 1) return matchNone;
      const gt = req.operator === 'Gt';
      return (_n, labels) => {
        const v = parseInteger(labels[key]);
        return v !== undefined && (gt ? v > bound : v < bound);
      };
    }
    default:
      return matchNone;
  }
}

/** matchFields supports only metadata.name, with In and NotIn, as the API validates. */
function fieldRequirement(req: NodeSelectorRequirement): NodeMatcher {
  if (req.key !== 'metadata.name') return matchNone;
  const values = new Set(req.values ?? []);
  if (req.operator === 'In') return (name) => values.has(name);
  if (req.operator === 'NotIn') return (name) => !values.has(name);
  return matchNone;
}

export function compileTerm(term: NodeSelectorTerm): NodeMatcher {
  const reqs = [...(term.matchExpressions ?? []).map(labelRequirement), ...(term.matchFields ?? []).map(fieldRequirement)];
  if (reqs.length === 0) return matchNone;
  if (reqs.length === 1) return reqs[0]!;
  return (name, labels) => {
    for (const r of reqs) if (!r(name, labels)) return false;
    return true;
  };
}

export function compileNodeSelector(selector: NodeSelector): NodeMatcher {
  const terms = (selector.nodeSelectorTerms ?? []).map(compileTerm);
  if (terms.length === 1) return terms[0]!;
  return (name, labels) => {
    for (const t of terms) if (t(name, labels)) return true;
    return false;
  };
}

/** `spec.nodeSelector` (exact labels) AND the required node affinity; undefined when the pod has neither. */
export function compileRequiredNodeAffinity(nodeSelector: Record<string, string> | undefined, required: NodeSelector | undefined): NodeMatcher | undefined {
  const parts: NodeMatcher[] = [];
  const pairs = Object.entries(nodeSelector ?? {});
  if (pairs.length > 0) {
    parts.push((_n, labels) => {
      for (const [k, v] of pairs) if (labels[k] !== v) return false;
      return true;
    });
  }
  if (required) parts.push(compileNodeSelector(required));
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return (name, labels) => parts[0]!(name, labels) && parts[1]!(name, labels);
}
