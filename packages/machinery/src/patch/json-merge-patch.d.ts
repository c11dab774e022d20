// json-merge-patch ships no types; this declares the one function we use.
declare module 'json-merge-patch' {
  /** Applies an RFC 7386 merge patch; mutates and returns `target` (or returns `patch` if it is not an object). */
  function apply(target: unknown, patch: unknown): unknown;
  const mergePatch: { apply: typeof apply };
  export default mergePatch;
}
