/**
 * Checks across all manifests: unique names per kind, unique annotation
 * request ids and names, and every annotationRequestRef resolving.
 */
import type { Diagnostic } from './diagnostics.js';
import type { ParsedDocument } from './parse.js';
import { positionOf, type PathSegment } from './positions.js';
import type { Kind, SourcePosition } from './types.js';

/** A document whose envelope is valid, so its kind and name are known. */
export interface Candidate {
  /** Where it starts, and positions inside it (not its value: thousands of candidates are held until the last file is read). */
  parsed: Pick<ParsedDocument, 'start' | 'locate'>;
  kind: Kind;
  name: string;
  spec: Record<string, unknown>;
  /** The annotation request id this manifest will send (given or derived), when known. */
  annotationRequestId: string | undefined;
}

export function crossCheck(candidates: readonly Candidate[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // Positions are looked up only when there is something to report: finding one may parse a file again.
  const firstSeen = new Map<string, () => SourcePosition>();
  const claim = (key: string, candidate: Candidate, path: PathSegment[], rule: string, what: string) => {
    const earlier = firstSeen.get(key);
    if (earlier) {
      const { file, line, col } = earlier();
      diagnostics.push({ rule, ...positionOf(candidate.parsed, path), message: `${what} is already used at ${file}:${line}:${col}`, hint: 'each must be unique across all manifests' });
    } else {
      firstSeen.set(key, () => positionOf(candidate.parsed, path));
    }
  };

  for (const c of candidates) {
    claim(`name\0${c.kind}\0${c.name}`, c, ['metadata', 'name'], 'cross.duplicate-name', `${c.kind} name "${c.name}"`);
    if (c.kind !== 'AnnotationRequest') continue;
    const idPath = c.spec.annotationRequestId === undefined ? ['metadata', 'name'] : ['spec', 'annotationRequestId'];
    if (c.annotationRequestId !== undefined) {
      claim(`id\0${c.annotationRequestId}`, c, idPath, 'cross.duplicate-id', `annotationRequestId "${c.annotationRequestId}"`);
    }
    if (typeof c.spec.annotationRequestName === 'string') {
      claim(`arname\0${c.spec.annotationRequestName}`, c, ['spec', 'annotationRequestName'], 'cross.duplicate-request-name', `annotationRequestName "${c.spec.annotationRequestName}"`);
    }
  }

  const requestNames = new Set(candidates.filter((c) => c.kind === 'AnnotationRequest').map((c) => c.name));
  for (const c of candidates) {
    const ref = c.kind === 'SamplingPlan' ? c.spec.annotationRequestRef : undefined;
    if (typeof ref !== 'string' || requestNames.has(ref)) continue;
    const close = [...requestNames].filter((n) => n.startsWith(ref.slice(0, 3)) || ref.startsWith(n.slice(0, 3)));
    diagnostics.push({
      rule: 'cross.unresolved-ref',
      ...positionOf(c.parsed, ['spec', 'annotationRequestRef']),
      message: `spec.annotationRequestRef: no AnnotationRequest named "${ref}"`,
      hint: close.length > 0 ? `did you mean ${close.map((n) => `"${n}"`).join(' or ')}?` : 'name an AnnotationRequest manifest, or use annotationRequestId for a request managed elsewhere',
    });
  }
  return diagnostics;
}
