/**
 * The type the schema wants at a path of a kind's spec, for a generator's placeholders: a value
 * that is exactly `${column}` takes it (`samplingQuantity: "${qty}"` with qty 50 from a CSV is
 * the number 50). Read from schemas/manifest.schema.json, the one source of truth, when first needed.
 */
import { readFileSync } from 'node:fs';
import type { PathSegment } from '../model/paths.js';
import type { Kind } from '../model/resources.js';

export type WantedType = 'string' | 'number' | 'integer' | 'boolean' | 'number-or-name' | undefined;

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: boolean | SchemaNode;
}

let schema: { definitions: Record<string, SchemaNode> } | undefined;

function definitions(): Record<string, SchemaNode> {
  schema ??= JSON.parse(readFileSync(new URL('../../schemas/manifest.schema.json', import.meta.url), 'utf8')) as { definitions: Record<string, SchemaNode> };
  return schema.definitions;
}

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let i = 0; current?.$ref && i < 10; i++) current = definitions()[current.$ref.replace('#/definitions/', '')];
  return current;
}

export function wantedType(kind: Kind, path: readonly PathSegment[]): WantedType {
  let node = resolve(definitions()[`${kind[0]!.toLowerCase()}${kind.slice(1)}Spec`]);
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = resolve(node.items);
    else node = resolve(node.properties?.[segment] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined));
  }
  if (!node) return undefined;
  if (node.enum) return node.enum.some((v) => typeof v === 'number') ? 'number-or-name' : 'string';
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  return type === 'string' || type === 'number' || type === 'integer' || type === 'boolean' ? type : undefined;
}
