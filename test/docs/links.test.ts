// Every relative link in README.md and docs/ leads to a file that exists: a newcomer can follow
// them from the front page to a working example.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const docs = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('links in the docs', () => {
  it.each(docs)('%s', (doc) => {
    const text = readFileSync(join(REPO_ROOT, doc), 'utf8');
    const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!.split('#')[0]!)
      .filter((target) => target !== '' && !/^[a-z]+:/.test(target))
      .filter((target) => !existsSync(join(REPO_ROOT, dirname(doc), target)));
    expect(broken).toEqual([]);
  });

  it('lead from the README to the first pipeline guide and its example', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('](docs/guides/first-pipeline.md)');
    expect(readFileSync(join(REPO_ROOT, 'docs/guides/first-pipeline.md'), 'utf8')).toContain('examples/pipeline/');
  });
});
