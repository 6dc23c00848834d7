/**
 * kind: Generator — many resources from data, as Argo CD's ApplicationSet generators, Terraform's
 * for_each and kustomize are to their users. Each row of the generator's data makes one document
 * of each template; `${column}` in any string (keys too) is the row's value, with no other logic,
 * so a reviewer can read a template. A value that is exactly one placeholder takes the type the
 * schema wants there. The generated documents then go through every check written ones do, and
 * their positions lead back to the data file's row (for what came from it) or to the template.
 */
import type { Kind, SourcePosition } from '../model/resources.js';
import { isKind } from '../model/resources.js';
import { isLargeKnownMap } from '../model/known-keys.js';
import { formatPath, type PathSegment } from '../model/paths.js';
import { isObject } from '../values.js';
import type { Diagnostic } from './diagnostics.js';
import type { ParsedDocument } from './parse.js';
import { positionOf } from './positions.js';
import { readRows, type Row, type RowValue } from './rows.js';
import { wantedType } from './wanted-types.js';

export type { Origin } from '../model/resources.js';
import type { Origin } from '../model/resources.js';

export interface Generated {
  document: ParsedDocument;
  origin: Origin;
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;
const EXACTLY_ONE = /^\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}$/;

/** The documents a (schema-valid) generator makes, or what is wrong with it and its data. */
/** `dataFiles` collects the real paths of the YAML data files read (they are no manifests). */
export async function expandGenerator(parsed: ParsedDocument, manifestPath: string, cwd: string, maxBytes: number, dataFiles?: Set<string>): Promise<{ generated: Generated[]; diagnostics: Diagnostic[] }> {
  const value = parsed.value as { metadata: { name: string }; spec: { rows: unknown; resources: unknown[] } };
  const name = value.metadata.name;
  const read = await readRows(parsed, value.spec.rows, manifestPath, cwd, maxBytes, dataFiles);
  if ('diagnostics' in read) return { generated: [], diagnostics: read.diagnostics };
  const diagnostics: Diagnostic[] = [];
  const columns = new Set(read.rows.flatMap((r) => Object.keys(r.values)));
  const templates = value.spec.resources;

  // An unknown column is the template's mistake: said once, at the template, whatever the rows.
  templates.forEach((template, i) => {
    for (const { path, column } of placeholders(template, [])) {
      if (read.rows.length > 0 && !columns.has(column)) {
        diagnostics.push({
          rule: 'generator.unknown-column',
          ...positionOf(parsed, ['spec', 'resources', i, ...path]),
          message: `spec.resources[${i}]${path.length > 0 ? `.${formatPath(path)}` : ''}: unknown column "${column}"`,
          hint: `the columns are ${[...columns].sort().join(', ')}`,
        });
      }
    }
  });
  if (diagnostics.length > 0) return { generated: [], diagnostics };

  const generated: Generated[] = [];
  // Each template is worked out once (which strings hold placeholders, split where they are); each
  // row then only fills it in.
  const compiled = templates.map((template) => compileTemplate(template, []));
  for (const row of read.rows) {
    templates.forEach((template, i) => {
      const t = template as { kind: string };
      const expansion = new Expansion(row, isKind(t.kind) ? t.kind : undefined);
      const document = compiled[i]!(expansion, []) as Record<string, unknown>;
      diagnostics.push(...expansion.problems);
      const origin: Origin = { generator: name, row: row.number, ...(read.file === undefined ? {} : { file: read.file }) };
      generated.push({ origin, document: placedDocument(parsed, i, { apiVersion: 'rosetta/v1', ...document }, expansion.fromData, row.at) });
    });
  }
  return { generated, diagnostics };
}

/** Every `${column}` in a template, with the path of the string that holds it. */
function placeholders(value: unknown, path: PathSegment[]): { path: PathSegment[]; column: string }[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => ({ path, column: m[1]! }));
  if (Array.isArray(value)) return value.flatMap((item, i) => placeholders(item, [...path, i]));
  if (isObject(value)) return Object.entries(value).flatMap(([key, item]) => [...placeholders(key, [...path, key]), ...placeholders(item, [...path, key])]);
  return [];
}

/** A template worked out once: given a row's expansion and where it is, the value for that row. */
type FillIn = (expansion: Expansion, path: PathSegment[]) => unknown;

/**
 * A template (a document of a generator's spec.resources) as a function of the row. Every object,
 * array and string with a placeholder is made afresh for each row, as walking the template did.
 * `at` is the template's path when no key above it has a placeholder: then every row's path there
 * is that same array (read only), made once.
 */
function compileTemplate(template: unknown, at?: PathSegment[]): FillIn {
  const pathOf = (path: PathSegment[], segment: PathSegment, fixed: PathSegment[] | undefined) => fixed ?? [...path, segment];
  if (typeof template === 'string') {
    const exact = EXACTLY_ONE.exec(template);
    if (exact) {
      const column = exact[1]!;
      return (expansion, path) => {
        expansion.fromData.push(path);
        return expansion.whole(column, path);
      };
    }
    const text = compileText(template);
    if (typeof text === 'string') return () => text;
    return (expansion, path) => {
      expansion.fromData.push(path);
      return text(expansion);
    };
  }
  if (Array.isArray(template)) {
    const items = template.map((item, i) => {
      const fixed = at && [...at, i];
      return { fixed, fill: compileTemplate(item, fixed) };
    });
    return (expansion, path) => items.map(({ fixed, fill }, i) => fill(expansion, pathOf(path, i, fixed)));
  }
  if (isLargeKnownMap(template)) return compileTemplate(template.toJSON(), at);
  if (isObject(template)) {
    const entries = Object.keys(template).map((key) => {
      const name = compileText(key);
      const fixed = at && typeof name === 'string' ? [...at, name] : undefined;
      return { name, fixed, fill: compileTemplate(template[key], fixed) };
    });
    return (expansion, path) => {
      const out: Record<string, unknown> = {};
      for (const { name, fixed, fill } of entries) {
        const key = typeof name === 'string' ? name : name(expansion);
        const where = pathOf(path, key, fixed);
        if (typeof name !== 'string') expansion.fromData.push(where);
        const value = fill(expansion, where);
        // Own data properties only, as the parsers make them: a "__proto__" key is a key (assigned,
        // it would set the prototype; defined, every key is, which is slower).
        if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
      return out;
    };
  }
  return () => template;
}

/** A string with `${column}` placeholders as a function of the row; one without them, itself. */
function compileText(template: string): string | ((expansion: Expansion) => string) {
  if (!template.includes('${')) return template;
  // split with a capturing group: literal, column, literal, column, …, literal.
  const parts = template.split(new RegExp(PLACEHOLDER.source));
  if (parts.length === 1) return template;
  return (expansion) => {
    let text = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) text += expansion.cell(parts[i]!) + parts[i + 1]!;
    return text;
  };
}

/** One row through one template: the value, which paths came from the row, and what could not be typed. */
class Expansion {
  readonly problems: Diagnostic[] = [];
  /**
   * Paths whose value or key came from the row. Kept as the arrays the walk makes anyway and
   * compared as JSON only when a position is asked for (an error): turning each into JSON as it was
   * met was a fifth of expanding 10,000 rows.
   */
  readonly fromData: PathSegment[][] = [];

  constructor(
    private readonly row: Row,
    private readonly kind: Kind | undefined,
  ) {}

  /** `${column}` filled in from the row (null or missing: nothing). */
  cell(column: string): string {
    const v = this.row.values[column];
    return v === null || v === undefined ? '' : String(v);
  }

  /** A whole value from one column, typed as the schema wants it at `path`. */
  whole(column: string, path: PathSegment[]): unknown {
    return this.typed(column, this.row.values[column] ?? null, path);
  }

  /** A whole value from one column, as the type the schema wants there. */
  private typed(column: string, raw: RowValue, path: PathSegment[]): unknown {
    // path is [kind, metadata, spec, …] of the document: only spec fields have a schema type here.
    const wanted = this.kind && path[0] === 'spec' ? wantedType(this.kind, path.slice(1)) : path[0] === 'metadata' ? 'string' : undefined;
    const fail = (what: string): RowValue => {
      this.problems.push({ rule: 'generator.value-type', ...this.row.at, message: `row ${this.row.number}, column "${column}": ${JSON.stringify(raw)} is not ${what} (${formatPath(path)} wants one)` });
      return raw;
    };
    if (raw === null) return null;
    switch (wanted) {
      case 'string':
        return String(raw);
      case 'number':
      case 'integer': {
        if (typeof raw === 'number') return raw;
        const text = String(raw).trim();
        if (typeof raw === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return Number(text);
        return fail(wanted === 'integer' ? 'an integer' : 'a number');
      }
      case 'boolean':
        if (typeof raw === 'boolean') return raw;
        if (raw === 'true' || raw === 'false') return raw === 'true';
        return fail('true or false');
      case 'number-or-name':
        return typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      default:
        return raw;
    }
  }
}

/**
 * A generated document: positions of what came from the row lead to the row in the data file, the
 * rest to the template in the generator's manifest.
 */
function placedDocument(generator: ParsedDocument, template: number, value: Record<string, unknown>, fromData: readonly PathSegment[][], row: SourcePosition): ParsedDocument {
  let fromDataJson: Set<string> | undefined;
  return {
    file: generator.file,
    value,
    start: row,
    locate: (path, target) => {
      fromDataJson ??= new Set(fromData.map((p) => JSON.stringify(p)));
      for (let n = path.length; n >= 1; n--) if (fromDataJson.has(JSON.stringify(path.slice(0, n)))) return row;
      if (path.length === 0) return row;
      return generator.locate(['spec', 'resources', template, ...path], target);
    },
  };
}
