// The field manager of a request that names none, derived from its User-Agent as the real
// server does (handlers' prefixFromUserAgent): what precedes the first `/`, printable
// characters only, at most 128 bytes.

const MAX_MANAGER_BYTES = 128;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** `kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07` → `kubectl`. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const prefix = (userAgent ?? '').split('/')[0]!;
  let out = '';
  let bytes = 0;
  for (const char of prefix) {
    if (!PRINTABLE.test(char)) continue;
    const size = Buffer.byteLength(char);
    if (bytes + size > MAX_MANAGER_BYTES) break;
    out += char;
    bytes += size;
  }
  return out;
}
