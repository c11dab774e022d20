// Decoding of `application/vnd.kubernetes.protobuf` request bodies, which kubectl's typed generators
// (`kubectl create deployment|configmap|secret|service|job|...`) send with no JSON fallback.
// The body is the magic "k8s\0" followed by a runtime.Unknown envelope:
//   Unknown { typeMeta = 1 { apiVersion = 1, kind = 2 }, raw = 2, contentEncoding = 3, contentType = 4 }
// and `raw` is the object in the field numbers of k8s.io/api's generated.proto.
import type { KObject } from '@mini-kube/api';
import { StatusError, badRequest } from '@mini-kube/machinery';
import { decodeMessage } from './decode.js';
import { KINDS } from './schema.js';
import { WIRE_BYTES, WireReader } from './wire.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];
const utf8 = new TextDecoder();

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function readEnvelope(body: Uint8Array): Envelope {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw badRequest('invalid protobuf body: it does not start with the "k8s\\x00" magic prefix');
  }
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '' };
  const reader = new WireReader(body.subarray(MAGIC.length), 'runtime.Unknown');
  while (!reader.done) {
    const { field, wire } = reader.readTag();
    if (wire !== WIRE_BYTES || field > 4) {
      reader.skip(wire);
    } else if (field === 1) {
      const typeMeta = new WireReader(reader.readBytes(), 'runtime.Unknown.typeMeta');
      while (!typeMeta.done) {
        const tag = typeMeta.readTag();
        if (tag.wire !== WIRE_BYTES) typeMeta.skip(tag.wire);
        else if (tag.field === 1) env.apiVersion = utf8.decode(typeMeta.readBytes());
        else if (tag.field === 2) env.kind = utf8.decode(typeMeta.readBytes());
        else typeMeta.skip(tag.wire);
      }
    } else if (field === 2) {
      env.raw = reader.readBytes();
    } else if (field === 3) {
      env.contentEncoding = utf8.decode(reader.readBytes());
    } else {
      reader.readBytes(); // contentType: always empty for kubectl's bodies
    }
  }
  return env;
}

/**
 * Decodes a Kubernetes protobuf request body into the JSON object the same request would have
 * carried, so normal admission can run on it. Throws a 400 `StatusError` for malformed input and
 * a 415 for kinds this decoder has no table for.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): KObject {
  const env = readEnvelope(body);
  if (!env.kind || !env.apiVersion) throw badRequest('invalid protobuf body: the envelope has no apiVersion/kind');
  if (env.contentEncoding) {
    throw badRequest(`invalid protobuf body: unsupported contentEncoding "${env.contentEncoding}"`);
  }
  const message = KINDS.get(`${env.apiVersion}/${env.kind}`);
  if (!message) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `protobuf bodies for ${env.kind} (${env.apiVersion}) are not supported; send application/json`,
    );
  }
  const object = decodeMessage(env.raw, message, '');
  return { apiVersion: env.apiVersion, kind: env.kind, ...object, metadata: (object.metadata as KObject['metadata']) ?? {} };
}
