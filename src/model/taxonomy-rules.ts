/**
 * The platform's content rules for a taxonomy (rosetta-api/platform.md), as one pure function: the
 * manifest stage reports each at its place (in the manifest or in the taxonomyDetailsFrom file),
 * the simulator answers the first one's code. Once created a taxonomy cannot be read back, so a
 * mistake caught here is one that cannot be found later.
 */

export const OPERATOR_TYPES = ['slot', 'input', 'slotChildren'] as const;
export const SLOT_TYPES = ['box2d', 'square', 'ellipse', 'triangle', 'line', 'polygon', 'point', 'box3d', 'polygon3d', 'line3d', 'semantic-segmentation3d', 'select', 'text', 'group'] as const;
export const INPUT_TYPES = ['select', 'multiple-select', 'nested-select', 'multiple-nested-select', 'number', 'text'] as const;
/** Input types whose items may hold children. */
const NESTED_INPUT_TYPES: ReadonlySet<string> = new Set(['nested-select', 'multiple-nested-select']);

export interface TaxonomyProblem {
  code: number;
  rule: string;
  message: string;
  /** Path inside taxonomyDetails: [0, 'children', 1, 'key']. */
  path: (string | number)[];
}

type Path = (string | number)[];
type Operator = Record<string, unknown>;

/** Minimum/maximum pairs, by where they are: the platform's 57005. */
const RANGES: readonly [string, string, string][] = [
  ['instanceOption', 'minQuantity', 'maxQuantity'],
  ['slotSpecification', 'minVertices', 'maxVertices'],
  ['inputSpecification', 'min', 'max'],
];

export function taxonomyProblems(details: unknown): TaxonomyProblem[] {
  const problems: TaxonomyProblem[] = [];
  if (!Array.isArray(details)) return problems;
  const keys = new Map<string, string>(); // key → where first seen, for the message
  const subOperatorKeys = new Set<string>();
  const mappings: { path: Path; value: unknown }[] = [];

  const walk = (operators: unknown[], path: Path, depth: number): void => {
    const labels = new Set<string>();
    operators.forEach((op, i) => {
      const at = [...path, i];
      if (!isObject(op)) return;
      if (typeof op.key === 'string') {
        if (keys.has(op.key)) problems.push({ code: 57002, rule: 'taxonomy.duplicate-key', message: `key "${op.key}" is used twice (first at ${keys.get(op.key)}); keys are unique in a taxonomy`, path: [...at, 'key'] });
        else keys.set(op.key, formatAt(at));
        if (depth > 0) subOperatorKeys.add(op.key);
      }
      if (typeof op.label === 'string') {
        if (labels.has(op.label)) problems.push({ code: 57012, rule: 'taxonomy.duplicate-label', message: `label "${op.label}" is used twice among sibling operators`, path: [...at, 'label'] });
        labels.add(op.label);
      }
      checkTypes(op, at, problems);
      checkRanges(op, at, problems);
      if (op.type === 'input') checkItems(op, at, problems);
      const mapping = isObject(op.slotSpecification) ? op.slotSpecification.imageSourceMapping : undefined;
      if (mapping !== undefined) mappings.push({ path: [...at, 'slotSpecification', 'imageSourceMapping'], value: mapping });
      if (Array.isArray(op.children)) walk(op.children, [...at, 'children'], depth + 1);
    });
  };
  walk(details, [], 0);

  // Checked after the walk: a mapping may name a sub-operator that comes later in the file.
  for (const { path, value } of mappings) {
    const entries = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
    entries.forEach((entry, i) => {
      if (typeof entry === 'string' && !subOperatorKeys.has(entry)) {
        problems.push({ code: 57004, rule: 'taxonomy.image-source-mapping', message: `imageSourceMapping names "${entry}", which is not the key of a sub-operator (an operator inside a slotChildren)`, path: Array.isArray(value) ? [...path, i] : path });
      }
    });
  }
  return problems;
}

function checkTypes(op: Operator, at: Path, problems: TaxonomyProblem[]): void {
  if (typeof op.type === 'string' && !(OPERATOR_TYPES as readonly string[]).includes(op.type)) {
    problems.push({ code: 57001, rule: 'taxonomy.unknown-type', message: `operator type "${op.type}" is not one of ${OPERATOR_TYPES.join(', ')}`, path: [...at, 'type'] });
  }
  const slotType = isObject(op.slotSpecification) ? op.slotSpecification.type : undefined;
  if (typeof slotType === 'string' && !(SLOT_TYPES as readonly string[]).includes(slotType)) {
    problems.push({ code: 57001, rule: 'taxonomy.unknown-slot-type', message: `slot type "${slotType}" is not one of ${SLOT_TYPES.join(', ')}`, path: [...at, 'slotSpecification', 'type'] });
  }
  const inputType = isObject(op.inputSpecification) ? op.inputSpecification.type : undefined;
  if (typeof inputType === 'string' && !(INPUT_TYPES as readonly string[]).includes(inputType)) {
    problems.push({ code: 57001, rule: 'taxonomy.unknown-input-type', message: `input type "${inputType}" is not one of ${INPUT_TYPES.join(', ')}`, path: [...at, 'inputSpecification', 'type'] });
  }
}

function checkRanges(op: Operator, at: Path, problems: TaxonomyProblem[]): void {
  for (const [holder, min, max] of RANGES) {
    const spec = op[holder];
    if (!isObject(spec)) continue;
    const low = spec[min];
    const high = spec[max];
    if (typeof low === 'number' && typeof high === 'number' && low > high) {
      problems.push({ code: 57005, rule: 'taxonomy.min-above-max', message: `${holder}.${min} (${low}) is larger than ${holder}.${max} (${high})`, path: [...at, holder, min] });
    }
  }
}

/** An input's items: children only for nested types; `default` among the values (57006). */
function checkItems(op: Operator, at: Path, problems: TaxonomyProblem[]): void {
  const spec = op.inputSpecification;
  if (!isObject(spec)) return;
  const values = new Set<unknown>();
  const collect = (items: unknown, path: Path): void => {
    if (!Array.isArray(items)) return;
    items.forEach((item, i) => {
      if (!isObject(item)) return;
      values.add(item.value);
      if (item.children !== undefined && !NESTED_INPUT_TYPES.has(String(spec.type))) {
        problems.push({ code: 57001, rule: 'taxonomy.children-not-nested', message: `an item of a "${String(spec.type)}" input has children; only nested-select and multiple-nested-select items may`, path: [...path, i, 'children'] });
      }
      collect(item.children, [...path, i, 'children']);
    });
  };
  collect(spec.items, [...at, 'inputSpecification', 'items']);
  if (spec.default === undefined) return;
  const defaults = Array.isArray(spec.default) ? spec.default : [spec.default];
  for (const value of defaults) {
    if (!values.has(value)) {
      problems.push({ code: 57006, rule: 'taxonomy.default-not-an-item', message: `default ${JSON.stringify(value)} is not among the items' values`, path: [...at, 'inputSpecification', 'default'] });
    }
  }
}

function formatAt(path: Path): string {
  return `taxonomyDetails${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
