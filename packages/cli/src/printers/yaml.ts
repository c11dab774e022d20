// YAML as kubectl prints it (sigs.k8s.io/yaml over go-yaml v2): keys sorted, sequences not
// indented under their key, multi-line strings as literal blocks, no line folding.
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value, {
    sortMapEntries: true,
    indentSeq: false,
    lineWidth: 0,
    minContentWidth: 0,
    blockQuote: 'literal',
    aliasDuplicateObjects: false,
    nullStr: 'null',
    schema: 'yaml-1.1',
    version: '1.1',
  });
}
