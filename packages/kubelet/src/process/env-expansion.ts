// `$(VAR)` expansion as Kubernetes does it (third_party/forked/golang/expansion): `$$` is an escaped
// `$`, `$(NAME)` is replaced when NAME is known and left as written otherwise, an unclosed `$(`
// and a `$` before any other character stay as they are.

/** Expands `input` with `lookup`; an undefined lookup result leaves the reference untouched. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1]!;
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i += 2;
      } else {
        const name = input.slice(i + 2, close);
        out += lookup(name) ?? `$(${name})`;
        i = close + 1;
      }
    } else {
      out += '$' + next;
      i += 2;
    }
  }
  return out;
}

/** A lookup over maps searched in order (the container's env, then the service env). */
export const lookupIn =
  (...maps: ReadonlyMap<string, string>[]) =>
  (name: string): string | undefined => {
    for (const m of maps) if (m.has(name)) return m.get(name);
    return undefined;
  };
