// Resource quantities (`100m`, `1.5Gi`, `2e3`) as k8s.io/apimachinery/pkg/api/resource has them:
// an exact decimal (bigint mantissa × 10^exponent, at most nano precision) plus the suffix style
// it was written in, which decides its canonical spelling.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value = mantissa × 10^exponent */
  readonly mantissa: bigint;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

const FORMAT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const NUMBER_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(.*)$/;
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
/** Quantities keep at most nano precision; finer values are rounded away from zero. */
const MIN_EXPONENT = -9;

export class QuantityError extends Error {}

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** Parses a quantity exactly. Throws QuantityError with the real server's wording. */
export function parseQuantityExact(s: string): Quantity {
  const m = NUMBER_RE.exec(s.trim());
  if (!m || s.trim() === '') throw new QuantityError(`quantities must match the regular expression '${FORMAT_RE}'`);
  const [, sign, number, suffix] = m as unknown as [string, string, string, string];
  const [whole, fraction = ''] = number.split('.');
  let mantissa = BigInt(`${whole || '0'}${fraction}`) * (sign === '-' ? -1n : 1n);
  let exponent = -fraction.length;
  let format: QuantityFormat;
  if (suffix in DECIMAL_SUFFIXES) {
    format = 'DecimalSI';
    exponent += DECIMAL_SUFFIXES[suffix]!;
  } else if (suffix in BINARY_SUFFIXES) {
    format = 'BinarySI';
    mantissa *= 1024n ** BigInt(BINARY_SUFFIXES[suffix]!);
  } else if (/^[eE][-+]?\d+$/.test(suffix)) {
    format = 'DecimalExponent';
    exponent += Number(suffix.slice(1));
  } else if (/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) {
    throw new QuantityError("unable to parse quantity's suffix");
  } else {
    throw new QuantityError(`quantities must match the regular expression '${FORMAT_RE}'`);
  }
  return roundToNano({ mantissa, exponent, format });
}

function roundToNano(q: Quantity): Quantity {
  if (q.exponent >= MIN_EXPONENT) return q;
  const divisor = pow10(MIN_EXPONENT - q.exponent);
  let mantissa = q.mantissa / divisor;
  if (mantissa * divisor !== q.mantissa) mantissa += q.mantissa < 0n ? -1n : 1n;
  return { ...q, mantissa, exponent: MIN_EXPONENT };
}

/** The value as a plain number: cores for CPU, bytes for memory. */
export function quantityToNumber(q: Quantity | string): number {
  const { mantissa, exponent } = typeof q === 'string' ? parseQuantityExact(q) : q;
  return Number(`${mantissa}e${exponent}`);
}

/** Parses a quantity string to a number (cores, bytes). Throws QuantityError on bad input. */
export function parseQuantity(s: string): number {
  return quantityToNumber(parseQuantityExact(s));
}

/** The value scaled by 10^scale, rounded up as Quantity.ScaledValue does (MilliValue is scale -3). */
export function scaledValue(q: Quantity | string, scale: number): bigint {
  const { mantissa, exponent } = typeof q === 'string' ? parseQuantityExact(q) : q;
  const shift = exponent - scale;
  if (shift >= 0) return mantissa * pow10(shift);
  const divisor = pow10(-shift);
  const whole = mantissa / divisor;
  return whole * divisor === mantissa ? whole : whole + (mantissa < 0n ? -1n : 1n);
}

/** Millicores from a CPU quantity, rounded up: `100m` → 100, `1.5` → 1500. */
export const milliValue = (q: Quantity | string): number => Number(scaledValue(q, -3));

export function compareQuantities(a: Quantity | string, b: Quantity | string): number {
  const x = typeof a === 'string' ? parseQuantityExact(a) : a;
  const y = typeof b === 'string' ? parseQuantityExact(b) : b;
  const e = Math.min(x.exponent, y.exponent);
  const diff = x.mantissa * pow10(x.exponent - e) - y.mantissa * pow10(y.exponent - e);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** The canonical spelling the real server stores: `1000m` → `1`, `0.5Gi` → `512Mi`, `1.5` → `1500m`. */
export function formatQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  if (q.format === 'BinarySI') {
    const binary = formatBinary(q);
    if (binary) return binary;
  }
  let mantissa = q.mantissa;
  let exponent = q.exponent;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  const si = q.format === 'DecimalExponent' ? undefined : DECIMAL_BY_EXPONENT.get(exponent);
  if (si !== undefined) return `${mantissa}${si}`;
  return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
}

/** Whole bytes of at least 1024 print in the largest binary unit that divides them. */
function formatBinary(q: Quantity): string | undefined {
  if (q.exponent < 0) {
    const divisor = pow10(-q.exponent);
    if (q.mantissa % divisor !== 0n) return undefined;
  }
  const bytes = q.exponent >= 0 ? q.mantissa * pow10(q.exponent) : q.mantissa / pow10(-q.exponent);
  if (abs(bytes) < 1024n) return undefined;
  let value = bytes;
  let unit = 0;
  while (unit < BINARY_NAMES.length - 1 && value % 1024n === 0n) {
    value /= 1024n;
    unit++;
  }
  return `${value}${BINARY_NAMES[unit]}`;
}

/** Canonicalizes a quantity string: `canonicalQuantity('0.5')` → `500m`. */
export const canonicalQuantity = (s: string): string => formatQuantity(parseQuantityExact(s));

/** A quantity from a number: `quantityFromNumber(0.25)` → `250m`, `quantityFromNumber(2 ** 30, 'BinarySI')` → `1Gi`. */
export function quantityFromNumber(value: number, format: QuantityFormat = 'DecimalSI'): Quantity {
  if (!Number.isFinite(value)) throw new QuantityError(`not a finite quantity: ${value}`);
  const [digits, exp = '0'] = value.toExponential().split('e');
  const [whole, fraction = ''] = digits!.split('.');
  const mantissa = BigInt(`${whole}${fraction}`);
  return roundToNano({ mantissa, exponent: Number(exp) - fraction.length, format });
}
