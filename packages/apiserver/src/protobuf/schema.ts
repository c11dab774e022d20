// The message table the decoder walks: message name → field number → how to decode the field.
//
// Each message is written as space-separated entries `jsonName=fieldNumber:type`, where type is
//   s | b | i32 | i64 | bytes          a scalar (string, bool, varint int, base64 bytes)
//   Time | MicroTime | Quantity | IntOrString | FieldsV1   apimachinery types with a custom JSON form
//   <MessageName>                      a nested message from the table
//   map<V>                             a map<string, V> (V is s, bytes or a message name)
// with suffix `[]` for a repeated field and `?` for a field whose zero value must survive (a Go
// pointer such as `replicas`, or a field without `omitempty`). Go's marshaller writes "", 0 and
// false for plain fields; JSON would omit them, so the decoder drops them unless marked `?`.
// The json name `...` marks an embedded Go struct whose fields JSON inlines into the parent.
import { CORE_A } from './schema-core-a.js';
import { CORE_B } from './schema-core-b.js';
import { AUTOSCALING_V1 } from './schema-autoscaling.js';
import { APPS, BATCH, META, NETWORKING } from './schema-groups.js';

export type ScalarType = 's' | 'b' | 'i32' | 'i64' | 'bytes';
export type SpecialType = 'Time' | 'MicroTime' | 'Quantity' | 'IntOrString' | 'FieldsV1';

export interface FieldSpec {
  /** JSON name, or null for an inlined (embedded) message. */
  name: string | null;
  /** Scalar, special or message type; for maps, the value type. */
  type: string;
  repeated: boolean;
  map: boolean;
  keepZero: boolean;
}

export type MessageSpec = ReadonlyMap<number, FieldSpec>;

const SOURCES: Record<string, string> = {
  ...CORE_A,
  ...CORE_B,
  // EphemeralContainerCommon repeats Container's fields with the same numbers.
  EphemeralContainerCommon: CORE_A.Container!,
  Pod: 'metadata=1:ObjectMeta spec=2:PodSpec',
  ...META,
  ...APPS,
  ...BATCH,
  ...NETWORKING,
  ...AUTOSCALING_V1,
};

const SCALARS = new Set(['s', 'b', 'i32', 'i64', 'bytes']);
const SPECIALS = new Set(['Time', 'MicroTime', 'Quantity', 'IntOrString', 'FieldsV1']);

export function isScalar(type: string): type is ScalarType {
  return SCALARS.has(type);
}

export function isSpecial(type: string): type is SpecialType {
  return SPECIALS.has(type);
}

const ENTRY = /^([A-Za-z0-9]+|\.\.\.)=(\d+):(map<)?([A-Za-z0-9]+)(>)?(\[\])?(\?)?$/;

function parseMessage(message: string, source: string): MessageSpec {
  const fields = new Map<number, FieldSpec>();
  for (const entry of source.trim().split(/\s+/)) {
    const m = ENTRY.exec(entry);
    if (!m || Boolean(m[3]) !== Boolean(m[5])) throw new Error(`protobuf schema ${message}: bad entry "${entry}"`);
    const number = Number(m[2]);
    if (fields.has(number)) throw new Error(`protobuf schema ${message}: field ${number} twice`);
    fields.set(number, {
      name: m[1] === '...' ? null : m[1]!,
      type: m[4]!,
      repeated: Boolean(m[6]),
      map: Boolean(m[3]),
      keepZero: Boolean(m[7]),
    });
  }
  return fields;
}

function buildSchema(): ReadonlyMap<string, MessageSpec> {
  const schema = new Map<string, MessageSpec>();
  for (const [name, source] of Object.entries(SOURCES)) schema.set(name, parseMessage(name, source));
  // Every referenced message must exist, so a typo fails at start-up, not on some request.
  for (const [name, fields] of schema) {
    for (const field of fields.values()) {
      if (!isScalar(field.type) && !isSpecial(field.type) && !schema.has(field.type)) {
        throw new Error(`protobuf schema ${name}: unknown type ${field.type}`);
      }
    }
  }
  return schema;
}

export const SCHEMA = buildSchema();

/** The top-level kinds this decoder accepts, by `apiVersion/kind` from the envelope. */
export const KINDS: ReadonlyMap<string, string> = new Map(
  [
    ['v1', ['Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Pod']],
    ['apps/v1', ['Deployment']],
    ['batch/v1', ['Job', 'CronJob']],
    ['autoscaling/v1', ['HorizontalPodAutoscaler']],
    ['networking.k8s.io/v1', ['Ingress']],
  ].flatMap(([apiVersion, kinds]) => (kinds as string[]).map((kind) => [`${apiVersion}/${kind}`, kind] as const)),
);
