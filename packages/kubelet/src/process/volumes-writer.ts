// Writes the files of a configMap, secret, downwardAPI or projected volume so that a reader never
// sees half an update (the kubelet's AtomicWriter, simplified): the payload goes into a hidden
// directory named after its hash, `..data` is switched to it with one rename, and each visible
// entry is a symlink through `..data`. Rewriting an unchanged payload does nothing.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readlink, rename, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface PayloadFile {
  content: Buffer;
  mode: number;
}

/** Relative path → file. */
export type Payload = Map<string, PayloadFile>;

const DATA = '..data';

function hashOf(payload: Payload): string {
  const h = createHash('sha256');
  for (const [path, f] of [...payload].sort(([a], [b]) => a.localeCompare(b))) {
    h.update(path).update('\0').update(String(f.mode)).update('\0').update(f.content).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

const readlinkOrUndefined = (path: string): Promise<string | undefined> => readlink(path).catch(() => undefined);

/** Makes `dir` show exactly `payload`. Returns whether anything changed. */
export async function writePayload(dir: string, payload: Payload): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  const version = `..${hashOf(payload)}`;
  const previous = await readlinkOrUndefined(join(dir, DATA));
  if (previous === version) return false;

  const versionDir = join(dir, version);
  await rm(versionDir, { recursive: true, force: true });
  for (const [path, file] of payload) {
    const target = join(versionDir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    await chmod(target, file.mode);
  }
  await mkdir(versionDir, { recursive: true });
  const tmp = join(dir, '..data_tmp');
  await rm(tmp, { force: true });
  await symlink(version, tmp);
  await rename(tmp, join(dir, DATA));

  const visible = new Set([...payload.keys()].map((p) => p.split('/')[0]!));
  for (const name of visible) {
    const link = join(dir, name);
    if ((await readlinkOrUndefined(link)) !== join(DATA, name)) {
      await rm(link, { recursive: true, force: true });
      await symlink(join(DATA, name), link);
    }
  }
  for (const entry of await readdir(dir)) {
    const stale = entry.startsWith('..') ? entry !== DATA && entry !== version : !visible.has(entry);
    if (stale) await rm(join(dir, entry), { recursive: true, force: true });
  }
  return true;
}
