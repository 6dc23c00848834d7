// The line-per-event progress of a non-interactive apply (CI logs, pipes): every line, in order,
// and the lines of one turn of the event loop in one write.
import { describe, expect, it } from 'vitest';
import { plainProgress } from '../../src/cli/hosts/plain-progress.js';
import type { ResourceResult } from '../../src/apply/types.js';

const created = (name: string): ResourceResult => ({ kind: 'AnnotationRequest', name, address: `AnnotationRequest/${name}`, outcome: 'created', requestId: `rq-${name}` });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('plain progress', () => {
  it('writes the lines of one turn of the event loop at once, in order', async () => {
    const writes: string[] = [];
    const progress = plainProgress((text) => writes.push(text));
    progress({ code: 'apply.begin', level: 'info', data: { creates: [] } });
    progress({ code: 'apply.create.start', level: 'info', data: { address: 'AnnotationRequest/a' } });
    progress({ code: 'apply.create.start', level: 'info', data: { address: 'AnnotationRequest/b' } });
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['Applying 0 creates…\nAnnotationRequest/a: creating…\nAnnotationRequest/b: creating…\n']);
    progress({ code: 'apply.create.result', level: 'info', data: { result: created('a') } });
    progress({ code: 'apply.create.warning', level: 'warn', data: { address: 'AnnotationRequest/b', message: 'name\u001b[31m differs' } });
    await nextTurn();
    expect(writes.slice(1)).toEqual(['AnnotationRequest/a created (requestId rq-a)\nAnnotationRequest/b: warning: name\\u001b[31m differs\n']);
  });

  it('writes what is left when the apply ends, before anything else can be printed', () => {
    const writes: string[] = [];
    const progress = plainProgress((text) => writes.push(text));
    progress({ code: 'apply.create.result', level: 'info', data: { result: created('z') } });
    progress({ code: 'apply.end', level: 'info', data: { report: { results: [], summary: { created: 1, adopted: 0, updated: 0, failed: 0, skipped: 0 }, interrupted: false } } });
    expect(writes).toEqual(['AnnotationRequest/z created (requestId rq-z)\n']);
  });
});
