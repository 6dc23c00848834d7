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
  for (const row of read.rows) {
    templates.forEach((template, i) => {
      const t = template as { kind: string };
      const expansion = new Expansion(row, isKind(t.kind) ? t.kind : undefined);
      const document = expansion.value(template, []) as Record<string, unknown>;
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

/** One row through one template: the value, which paths came from the row, and what could not be typed. */
class Expansion {
  readonly problems: Diagnostic[] = [];
  /** Paths (as JSON) whose value or key came from the row. */
  readonly fromData = new Set<string>();

  constructor(
    private readonly row: Row,
    private readonly kind: Kind | undefined,
  ) {}

  value(template: unknown, path: PathSegment[]): unknown {
    if (typeof template === 'string') return this.text(template, path);
    if (Array.isArray(template)) return template.map((item, i) => this.value(item, [...path, i]));
    if (isLargeKnownMap(template)) return this.value(template.toJSON(), path);
    if (isObject(template)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(template)) {
        const expandedKey = this.replace(key, undefined);
        if (expandedKey !== key) this.fromData.add(JSON.stringify([...path, expandedKey]));
        // Own data properties only, as the parsers make them: a "__proto__" key is a key.
        Object.defineProperty(out, expandedKey, { value: this.value(item, [...path, expandedKey]), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return template;
  }

  private text(template: string, path: PathSegment[]): unknown {
    const exact = EXACTLY_ONE.exec(template);
    if (!exact) return this.replace(template, path);
    this.fromData.add(JSON.stringify(path));
    return this.typed(exact[1]!, this.row.values[exact[1]!] ?? null, path);
  }

  /** The text with each placeholder replaced (a key's, or a value's: then `path` is recorded as from the row). */
  private replace(template: string, path: PathSegment[] | undefined): string {
    if (!template.includes('${')) return template;
    if (path) this.fromData.add(JSON.stringify(path));
    return template.replace(PLACEHOLDER, (_, column: string) => {
      const v = this.row.values[column];
      return v === null || v === undefined ? '' : String(v);
    });
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
function placedDocument(generator: ParsedDocument, template: number, value: Record<string, unknown>, fromData: ReadonlySet<string>, row: SourcePosition): ParsedDocument {
  return {
    file: generator.file,
    value,
    start: row,
    locate: (path, target) => {
      for (let n = path.length; n >= 1; n--) if (fromData.has(JSON.stringify(path.slice(0, n)))) return row;
      if (path.length === 0) return row;
      return generator.locate(['spec', 'resources', template, ...path], target);
    },
  };
}
