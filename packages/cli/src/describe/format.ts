// Small formatters shared by the describers, phrased as kubectl's describe.go prints values.
import { translateTimestampSince } from '@mini-kube/machinery';
import { LEVEL_0, type PrefixWriter } from './writer.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Go's time.RFC1123Z in local time, e.g. `Sun, 22 Nov 2026 15:22:57 +0000`; Go's zero time when unset. */
export function rfc1123z(ts: string | undefined | null): string {
  if (!ts) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ts);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return `${DAYS[d.getDay()]}, ${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

export const since = (ts: string | undefined | null): string => translateTimestampSince(ts, Date.now());

/** labels.FormatLabels: `a=1,b=2` sorted, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** LabelSelectorAsSelector(...).String(): the same terms as the server-side selector, sorted by key. */
type LabelSelector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined;

export function selectorString(sel: LabelSelector): string {
  if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) return '';
  const terms: [string, string][] = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text = e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator.toLowerCase()} (${values})`;
    terms.push([e.key, text]);
  }
  return terms
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((t) => t[1])
    .join(',');
}

/** metav1.FormatLabelSelector. */
export const formatLabelSelector = (sel: LabelSelector): string => selectorString(sel) || '<none>';

export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, initialIndent = ''): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, `${initialIndent}\t`);
    w.write(LEVEL_0, `${key}=${labels![key]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;
const shorten = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}...` : s);

export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort();
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    const value = annotations![key]!.replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: any[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const list = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (list.length === 0) return w.line('<none>');
  list.forEach((t, i) => {
    let text = i !== 0 ? '\t' : '';
    text += t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) text += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, `${text}\n`);
  });
}

export function printTaintsMultiline(w: PrefixWriter, title: string, taints: any[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const key = (t: any) => `${t.effect},${t.key}`;
  const list = [...(taints ?? [])].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (list.length === 0) return w.line('<none>');
  list.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`);
  });
}

export function printController(obj: any): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r: any) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

export const stringOrNone = (s: string | undefined): string => (s ? s : '<none>');
export const printBool = (b: boolean | undefined): string => (b ? 'True' : 'False');

/** intstr.String(): numbers as numbers, strings as written. */
export const intOrString = (v: unknown): string => (v === undefined || v === null ? '0' : String(v));
