// Objects are stored as JSON without their resourceVersion: like Kubernetes on etcd, the
// resourceVersion of an object is the store revision that last wrote it, filled in on read.
import { groupVersion, type KObject, type ResourceInfo } from '@mini-kube/api';
import type { KeyValue } from '@mini-kube/store';
import { conversionFor } from './conversions.js';

/** Where an object's `"managedFields":[…]` member lies in its JSON: [start, end), with the comma before it. */
export type ManagedFieldsRange = readonly [number, number];

/** An object's stored text, and where its managedFields lie in it when it has them. */
export interface StoredText {
  text: string;
  managedFields?: ManagedFieldsRange;
}

// Stored objects start with apiVersion, kind and metadata, in that order, so that lists can be
// answered from the stored text without parsing it (`withResourceVersion`). managedFields
// come last in metadata, as the real server writes them: the text is written in parts around
// them, so where they lie is known without a scan, and answers can leave them out for clients that
// ask (OMIT_MANAGED_FIELDS_HEADER).
export function encodeObject(r: ResourceInfo, obj: KObject): string {
  return encodeStored(r, obj).text;
}

export function encodeStored(r: ResourceInfo, obj: KObject): StoredText {
  const converted = conversionFor(r) ? toStorageForm(r, withTypeMeta(r, obj)) : undefined;
  const typed = converted ?? obj;
  const { resourceVersion: _rv, managedFields, ...metadata } = typed.metadata;
  const rest: Record<string, unknown> = {};
  for (const key in typed) if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata') rest[key] = typed[key];
  const apiVersion = converted ? converted.apiVersion : groupVersion(r);
  const kind = converted ? converted.kind : r.kind;
  const metadataJson = JSON.stringify(metadata);
  let text = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(kind)},"metadata":${metadataJson.slice(0, -1)}`;
  let range: ManagedFieldsRange | undefined;
  if (managedFields !== undefined) {
    const start = text.length;
    // Without a member before them (never so for a stored object: it has a name), they cannot be cut out.
    const comma = metadataJson.length > 2;
    text += `${comma ? ',' : ''}"managedFields":${JSON.stringify(managedFields)}`;
    if (comma) range = [start, text.length];
  }
  const restJson = JSON.stringify(rest);
  text += restJson.length > 2 ? `},${restJson.slice(1)}` : '}}';
  return range ? { text, managedFields: range } : { text };
}

const STORED_PREFIX = /^\{"apiVersion":"[^"\\]*","kind":"[^"\\]*","metadata":\{/;

/**
 * The object's JSON with its resourceVersion (`revision`, by default the one that wrote it) filled
 * in, from the stored text without a parse when it can; and, when it is spliced from the stored text,
 * where the managedFields that lie at `stored` in that text lie in the result.
 */
export function withResourceVersion(r: ResourceInfo, kv: KeyValue, stored: ManagedFieldsRange | undefined, revision = kv.modRevision): { json: string; managedFields?: ManagedFieldsRange } {
  const head = STORED_PREFIX.exec(kv.value);
  if (!head || conversionFor(r)) {
    const obj = decodeObject(r, kv);
    obj.metadata.resourceVersion = String(revision);
    return { json: JSON.stringify(obj) };
  }
  const at = head[0].length;
  const rv = `"resourceVersion":"${revision}"${kv.value[at] === '}' ? '' : ','}`;
  const json = kv.value.slice(0, at) + rv + kv.value.slice(at);
  return stored && stored[0] >= at ? { json, managedFields: [stored[0] + rv.length, stored[1] + rv.length] } : { json };
}

// The JSON of objects whose text is known without serializing them (an object shared by watchers,
// a written object), kept beside them: such objects must not change afterwards. With it, where
// their managedFields lie in it, when that is known.
interface KnownJson {
  json: string;
  managedFields?: ManagedFieldsRange;
}
const knownJson = new WeakMap<object, KnownJson>();

/** Records `json` as the serialization of `obj`, and where its managedFields lie in it if known. */
export function rememberJson(obj: object, json: string, managedFields?: ManagedFieldsRange): void {
  knownJson.set(obj, managedFields ? { json, managedFields } : { json });
}

/** The recorded serialization of `obj`, if any. */
export function knownJsonOf(obj: object): string | undefined {
  return knownJson.get(obj)?.json;
}

/** Where the managedFields of `obj` lie in its recorded serialization, if known. */
export function knownManagedFieldsOf(obj: object): ManagedFieldsRange | undefined {
  return knownJson.get(obj)?.managedFields;
}

/** The recorded serialization of `obj` without its managedFields, when both are known. */
export function knownJsonWithoutManagedFields(obj: object): string | undefined {
  const known = knownJson.get(obj);
  const range = known?.managedFields;
  return range ? known!.json.slice(0, range[0]) + known!.json.slice(range[1]) : undefined;
}

/** `JSON.stringify(obj)`, from the recorded text when there is one (serialized once either way). */
export function jsonOf(obj: object): string {
  const known = knownJson.get(obj);
  if (known) return known.json;
  const json = JSON.stringify(obj);
  knownJson.set(obj, { json });
  return json;
}

const API_VERSION_OPEN = Buffer.from('{"apiVersion":"');
const KIND_OPEN = Buffer.from('","kind":"');
const METADATA_OPEN = Buffer.from('","metadata":{');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;

/** Whether `bytes` holds `token` at `at`. */
function hasAt(bytes: Buffer, token: Buffer, at: number): boolean {
  if (at + token.length > bytes.length) return false;
  for (let i = 0; i < token.length; i++) if (bytes[at + i] !== token[i]) return false;
  return true;
}

/** The index of the quote closing a string that starts at `from`, or -1 when it holds an escape. */
function closingQuote(bytes: Buffer, from: number): number {
  for (let i = from; i < bytes.length; i++) {
    if (bytes[i] === QUOTE) return i;
    if (bytes[i] === BACKSLASH) return -1;
  }
  return -1;
}

/**
 * The byte offset just inside metadata's opening brace of stored JSON (where the resourceVersion
 * goes), or -1 when the bytes do not start with apiVersion, kind and metadata as stored objects do.
 */
export function metadataInsertPoint(bytes: Buffer): number {
  if (!hasAt(bytes, API_VERSION_OPEN, 0)) return -1;
  const apiVersionEnd = closingQuote(bytes, API_VERSION_OPEN.length);
  if (apiVersionEnd < 0 || !hasAt(bytes, KIND_OPEN, apiVersionEnd)) return -1;
  const kindEnd = closingQuote(bytes, apiVersionEnd + KIND_OPEN.length);
  if (kindEnd < 0 || !hasAt(bytes, METADATA_OPEN, kindEnd)) return -1;
  return kindEnd + METADATA_OPEN.length;
}

/** An object's JSON as its stored bytes and the resourceVersion field to insert at `at` (none when `at` is -1). */
export interface EncodedObject {
  bytes: Buffer;
  at: number;
  insert: string;
}

/**
 * `withResourceVersion` on the stored bytes: the object is written out by `encodedListChunks`
 * without ever being decoded to a string, so a large list costs about one copy of its bytes.
 */
export function encodedObjectOf(r: ResourceInfo, kv: KeyValue<Buffer>): EncodedObject {
  const at = conversionFor(r) ? -1 : metadataInsertPoint(kv.value);
  if (at < 0) return { bytes: Buffer.from(JSON.stringify(decodeObject(r, { ...kv, value: kv.value.toString() }))), at: -1, insert: '' };
  const rv = `"resourceVersion":"${kv.modRevision}"`;
  return { bytes: kv.value, at, insert: kv.value[at] === CLOSE_BRACE ? rv : `${rv},` };
}

export function decodeObject(r: ResourceInfo, kv: KeyValue): KObject {
  const obj = JSON.parse(kv.value) as KObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return conversionFor(r)?.fromStorage(obj) ?? obj;
}

/** The stored form of an object written through `r` (a converted view's objects are stored converted). */
function toStorageForm(r: ResourceInfo, obj: KObject): KObject {
  return conversionFor(r)?.toStorage(obj) ?? obj;
}

/** Stamps apiVersion and kind, which single GETs and watch events carry. */
export function withTypeMeta(r: ResourceInfo, obj: KObject): KObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = obj;
  return { apiVersion: groupVersion(r), kind: r.kind, ...rest } as KObject;
}
