// kubectl's genericDescriber for kinds without their own: every field, nested by indent.
import { describeEvents } from './events.js';
import { printAnnotationsMultiline, printLabelsMultiline } from './format.js';
import { LEVEL_0, PrefixWriter } from './writer.js';

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/** `clusterIP` → `Cluster IP`, `apiVersion` → `API Version`; names with other characters stay. */
export function smartLabelFor(field: string): string {
  if (/[^A-Za-z-]/.test(field)) return field;
  const parts = field.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|-/g) ?? [field];
  return parts.map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p[0]!.toUpperCase() + p.slice(1))).join(' ');
}

const SKIP = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

function printContent(w: PrefixWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const path = `${prefix}.${field}`;
    if (SKIP.has(path)) continue;
    const value = content[field];
    if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === 'object') printContent(w, level + 1, child as Record<string, unknown>, path);
        else w.write(level + 1, `${child}\n`);
      }
    } else if (value && typeof value === 'object') {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printContent(w, level + 1, value as Record<string, unknown>, path);
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${value}\n`);
    }
  }
}

export function describeGeneric(obj: any, events: any[] | undefined): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${obj.metadata?.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', obj.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', obj.metadata?.annotations);
  printContent(w, LEVEL_0, obj, '');
  describeEvents(w, events);
  return w.toString();
}
