// IntOrString fields (maxSurge, maxUnavailable, targetPort...) resolved against a total as
// intstr.GetScaledValueFromIntOrPercent does: an int is itself, "N%" is N% of the total,
// rounded up or down as the caller asks.

export type IntOrString = number | string;

const PERCENT_RE = /^[0-9]+%$/;

/** True for strings like "25%" (intstr's percent format). */
export const isPercent = (v: IntOrString): v is string => typeof v === 'string' && PERCENT_RE.test(v);

/** Messages for a value that is not a valid percent string (empty list when valid). */
export function validatePercent(v: string): string[] {
  if (PERCENT_RE.test(v)) return [];
  return [
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
  ];
}

/**
 * Resolves `value` against `total`. Throws for a string that is not a percentage, as k8s does
 * (`invalid value for IntOrString: invalid type: string is not a percentage`).
 */
export function scaledValueFromIntOrPercent(value: IntOrString | null | undefined, total: number, roundUp: boolean): number {
  if (value === null || value === undefined) throw new Error('nil value for IntOrString');
  if (typeof value === 'number') return Math.trunc(value);
  if (!value.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) {
    throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  }
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
