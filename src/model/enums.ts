/**
 * The one map between the enum names a manifest may use and the numbers the
 * API expects. The schema lists the same values; a test keeps the two equal.
 */
export const ENUMS = {
  sampleType: { sequential: 1, random: 2 },
  interceptionMode: {
    'random-continuity': 1,
    positive: 2,
    reversed: 3,
    'system-random': 4,
    custom: 5,
    'sequence-length': 6,
  },
  workPoolFilterType: { last: 1, historical: 2 },
  operationFilterType: { annotation: 1, review: 2, sampling: 3 },
} as const satisfies Record<string, Record<string, number>>;

export type EnumField = keyof typeof ENUMS;

export const INTERCEPTION_CUSTOM = ENUMS.interceptionMode.custom;
export const INTERCEPTION_SEQUENCE_LENGTH = ENUMS.interceptionMode['sequence-length'];

/** Maps a manifest value (name or number) to the API's number; undefined when unknown. */
export function enumNumber(field: EnumField, value: unknown): number | undefined {
  const names: Record<string, number> = ENUMS[field];
  if (typeof value === 'number') return Object.values(names).includes(value) ? value : undefined;
  if (typeof value === 'string' && Object.hasOwn(names, value)) return names[value];
  return undefined;
}
