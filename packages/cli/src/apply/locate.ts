// Maps a manifest to its resource, namespace and URL, as kubectl's builder does for -f.
import type { Ctx } from '../context.js';
import { resourcePath, type ApiResource } from '../discovery.js';
import { CliError } from '../errors.js';
import type { Manifest } from '../manifests.js';
import { objectName } from '../printers/output.js';

export interface Located {
  resource: ApiResource;
  namespace?: string;
  name: string;
  object: any;
  source: string;
  /** `deployment.apps/web` */
  display: string;
  /** The collection URL (POST) */
  collection: string;
  /** The object URL */
  item: string;
}

export async function locate(ctx: Ctx, m: Manifest): Promise<Located> {
  const object = structuredClone(m.object);
  const name: string = object.metadata?.name ?? '';
  const resource = await ctx.discovery.byKind(object.apiVersion, object.kind);
  if (!resource) {
    throw new CliError(`resource mapping not found for name: "${name}" namespace: "${object.metadata?.namespace ?? ''}" from "${m.source}": no matches for kind "${object.kind}" in version "${object.apiVersion}"\nensure CRDs are installed first`);
  }
  let namespace: string | undefined;
  if (resource.namespaced) {
    const own: string | undefined = object.metadata?.namespace;
    if (own && ctx.explicitNamespace && own !== ctx.namespace) {
      throw new CliError(`the namespace from the provided object "${own}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${own}' to perform this operation.`);
    }
    namespace = own || ctx.namespace;
    object.metadata = { ...object.metadata, namespace };
  }
  return {
    resource,
    namespace,
    name,
    object,
    source: m.source,
    display: objectName(object),
    collection: resourcePath(resource, namespace),
    item: resourcePath(resource, namespace, name),
  };
}

/** `--dry-run` flag → query parameter and message suffix. */
export function dryRunOf(mode: string | undefined): { query?: string; suffix: string; client: boolean } {
  if (!mode || mode === 'none') return { suffix: '', client: false };
  if (mode === 'server') return { query: 'All', suffix: ' (server dry run)', client: false };
  if (mode === 'client' || mode === 'true') return { suffix: ' (dry run)', client: true };
  throw new CliError(`Invalid dry-run value (${mode}). Must be "none", "server", or "client".`);
}

export function fieldValidation(mode: string | undefined): string {
  if (mode === 'false' || mode === 'ignore') return 'Ignore';
  if (mode === 'warn') return 'Warn';
  return 'Strict';
}
