// metadata.generateName, as names.SimpleNameGenerator does it: the prefix (cut to leave room)
// plus five random characters from an alphabet without vowels or look-alikes.
import { randomInt } from 'node:crypto';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const RANDOM_LENGTH = 5;
/** Names are DNS labels (at most 63 characters) in the common case, so the prefix keeps 58. */
const MAX_PREFIX_LENGTH = 63 - RANDOM_LENGTH;

export function randomSuffix(length = RANDOM_LENGTH): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export function generateName(prefix: string): string {
  return prefix.slice(0, MAX_PREFIX_LENGTH) + randomSuffix();
}
