/**
 * Checks across all manifests: unique names per kind, each kind's unique fields (ids and names the
 * platform keeps unique), and every *Ref resolving to a manifest of its kind. Also works out each
 * manifest's identity (given or derived, references followed in dependency order), which the
 * checks and the resources both need.
 */
import { dependencyRank, specModule } from '../kinds/index.js';
import { addressOf, type Kind, type SourcePosition } from '../model/resources.js';
import { article } from '../text.js';
import type { Diagnostic } from './diagnostics.js';
import type { ParsedDocument } from './parse.js';
import type { Origin } from './generators.js';
import { positionOf, type PathSegment } from './positions.js';

/** A document whose envelope is valid, so its kind and name are known. */
export interface Candidate {
  /** Where it starts, and positions inside it (not its value: thousands of candidates are held until the last file is read). */
  parsed: Pick<ParsedDocument, 'start' | 'locate'>;
  kind: Kind;
  name: string;
  spec: Record<string, unknown>;
  /** Made by a generator from a row of its data. */
  origin?: Origin;
}

/** What other manifests know each manifest by, per kind: metadata.name → identity (an id or a platform name). */
export type Identities = ReadonlyMap<Kind, ReadonlyMap<string, string>>;

/** Each candidate's identity, kinds taken in dependency order so a derived id can follow a reference. */
export function identitiesOf(candidates: readonly Candidate[]): Identities {
  const identities = new Map<Kind, Map<string, string>>();
  const ordered = [...candidates].sort((a, b) => dependencyRank(a.kind) - dependencyRank(b.kind));
  for (const c of ordered) {
    const identity = specModule(c.kind).identity(c.name, c.spec, resolver(c, identities));
    if (identity === undefined) continue;
    let byName = identities.get(c.kind);
    if (!byName) identities.set(c.kind, (byName = new Map()));
    if (!byName.has(c.name)) byName.set(c.name, identity);
  }
  return identities;
}

/** Resolves a candidate's reference fields: the identity of the manifest a *Ref names, or the alternative's literal value. */
export function resolver(c: Candidate, identities: Identities): (field: string) => string | undefined {
  return (field) => {
    const reference = specModule(c.kind).references.find((r) => r.field === field);
    if (!reference) return undefined;
    const ref = c.spec[reference.field];
    if (typeof ref === 'string') return identities.get(reference.kind)?.get(ref);
    const literal = c.spec[reference.alternative];
    return typeof literal === 'string' ? literal : undefined;
  };
}

/** Identity → metadata.name per kind (the first manifest with it; duplicates are reported anyway). */
export type ReverseIdentities = ReadonlyMap<Kind, ReadonlyMap<string, string>>;

export function reverseIdentities(identities: Identities): ReverseIdentities {
  const reverse = new Map<Kind, Map<string, string>>();
  for (const [kind, byName] of identities) {
    const byIdentity = new Map<string, string>();
    for (const [name, identity] of byName) if (!byIdentity.has(identity)) byIdentity.set(identity, name);
    reverse.set(kind, byIdentity);
  }
  return reverse;
}

/** The managed resources a candidate needs first: those its *Refs name, and those whose identity its alternatives name. */
export function needsOf(c: Candidate, reverse: ReverseIdentities): string[] {
  const needs: string[] = [];
  for (const reference of specModule(c.kind).references) {
    const ref = c.spec[reference.field];
    if (typeof ref === 'string') {
      needs.push(addressOf(reference.kind, ref));
      continue;
    }
    // A literal id or name that a manifest here also creates is still a dependency.
    const literal = c.spec[reference.alternative];
    const managed = typeof literal === 'string' ? reverse.get(reference.kind)?.get(literal) : undefined;
    if (managed !== undefined) needs.push(addressOf(reference.kind, managed));
  }
  return needs;
}

export function crossCheck(candidates: readonly Candidate[], identities: Identities): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // The first candidate to claim each value, per kind and field ('metadata.name' for names). Only
  // the candidate is kept (its value's path is worked out again for a report, and a position is
  // looked up only then: finding one may parse a file again): a key and a closure per claim were
  // 1 KB per manifest, 60 MB held through this check for 50,000 manifests.
  const firstSeen = new Map<string, Map<string, Candidate>>();
  const claim = (kind: Kind, field: string, value: string, candidate: Candidate, pathIn: (c: Candidate) => PathSegment[], rule: string) => {
    const namespace = `${kind}\0${field}`;
    let seen = firstSeen.get(namespace);
    if (!seen) firstSeen.set(namespace, (seen = new Map()));
    const earlier = seen.get(value);
    if (earlier) {
      const { file, line, col } = positionOf(earlier.parsed, pathIn(earlier));
      const what = field === 'metadata.name' ? `${kind} name "${value}"` : `${field} "${value}"`;
      diagnostics.push({ rule, ...positionOf(candidate.parsed, pathIn(candidate)), message: `${what} is already used at ${file}:${line}:${col}`, hint: 'each must be unique across all manifests' });
    } else {
      seen.set(value, candidate);
    }
  };

  for (const c of candidates) {
    claim(c.kind, 'metadata.name', c.name, c, () => ['metadata', 'name'], 'cross.duplicate-name');
    const module = specModule(c.kind);
    for (const { field, rule } of module.unique) {
      // The identity field's value is the identity, given or derived (then reported at metadata.name).
      const value = field === module.identityField ? identities.get(c.kind)?.get(c.name) : c.spec[field];
      if (typeof value !== 'string') continue;
      claim(c.kind, field, value, c, (one) => (one.spec[field] === undefined ? ['metadata', 'name'] : ['spec', field]), rule);
    }
  }

  const names = new Map<Kind, Set<string>>();
  for (const c of candidates) {
    let set = names.get(c.kind);
    if (!set) names.set(c.kind, (set = new Set()));
    set.add(c.name);
  }
  for (const c of candidates) {
    for (const reference of specModule(c.kind).references) {
      const ref = c.spec[reference.field];
      if (typeof ref !== 'string') continue;
      if (names.get(reference.kind)?.has(ref)) continue;
      const known = [...(names.get(reference.kind) ?? [])];
      const close = known.filter((n) => n.startsWith(ref.slice(0, 3)) || ref.startsWith(n.slice(0, 3)));
      diagnostics.push({
        rule: 'cross.unresolved-ref',
        ...positionOf(c.parsed, ['spec', reference.field]),
        message: `spec.${reference.field}: no ${reference.kind} named "${ref}"`,
        hint: close.length > 0 ? `did you mean ${close.map((n) => `"${n}"`).join(' or ')}?` : `name ${article(reference.kind)} ${reference.kind} manifest, or use ${reference.alternative} for one managed elsewhere`,
      });
    }
  }
  return diagnostics;
}
