/**
 * Where the manifests come from each cycle: a directory read as it is, or a git repository cloned
 * once into a cache folder and fetched at `ref` every cycle (simple-git over the git CLI, so
 * credentials come the usual git ways: credential helpers, SSH agent, GIT_ASKPASS). The revision
 * of every cycle is known; a URL is only ever shown without its credentials.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { simpleGit } from 'simple-git';
import { RosettaError } from '../errors.js';

export interface Checkout {
  /** The folder holding the manifests at this revision. */
  dir: string;
  /** A commit SHA, or `unversioned` for a directory outside git. */
  revision: string;
}

export interface Source {
  /** For logs: never holds credentials. */
  readonly display: string;
  checkout(): Promise<Checkout>;
}

const GIT_URL = /^(file|https?|ssh|git):\/\/|^[\w.-]+@[\w.-]+:/;

export function openSource(spec: string, options: { ref?: string | undefined; cacheDir: string; cwd: string }): Source {
  // No --ref: the remote's default branch, as `git clone` takes it (HEAD on the remote).
  if (GIT_URL.test(spec)) return gitSource(spec, options.ref, options.cacheDir);
  if (options.ref !== undefined) {
    throw new RosettaError('ROS_USAGE', `--ref ${options.ref}: a directory source is read as it is on disk, not at a ref`, {
      hint: `to follow a branch of a local repository, give its URL: --source file://${resolve(options.cwd, spec)}`,
    });
  }
  return directorySource(resolve(options.cwd, spec));
}

/** Credentials in a URL (https://user:token@host) never reach a log. */
export function redactGitUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]+@/i, '$1***@');
}

// No prompt may ever wait for a password: a missing credential is an error the loop reports.
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0' };

/**
 * A directory is reported as what it is: inside a git work tree with nothing changed under it, its
 * commit; with changes (untracked files included), `<commit>-dirty-<digest>`; outside git,
 * `unversioned-<digest>`. The digest covers every file's path and bytes, so two cycles that read
 * different files never report the same revision.
 */
function directorySource(dir: string): Source {
  return {
    display: dir,
    async checkout() {
      const info = await stat(dir).catch(() => undefined);
      if (!info?.isDirectory()) throw new RosettaError('ROS_USAGE', `--source ${dir} is not a directory`);
      const git = simpleGit(dir).env(GIT_ENV);
      const head = await git.revparse(['HEAD']).then((sha) => sha.trim(), () => undefined);
      if (head === undefined) return { dir, revision: `unversioned-${await contentDigest(dir)}` };
      const changes = await git.raw(['status', '--porcelain', '--untracked-files=all', '--', '.']);
      return { dir, revision: changes.trim() === '' ? head : `${head}-dirty-${await contentDigest(dir)}` };
    },
  };
}

/** sha256 (12 hex digits) over every file under `dir` but .git: its relative path, then its bytes. */
async function contentDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((path) => !path.split(sep).includes('.git'))
    .sort();
  for (const path of files) {
    hash.update(`${path}\0`);
    hash.update(await readFile(join(dir, path)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

function gitSource(url: string, ref: string | undefined, cacheDir: string): Source {
  const display = `${redactGitUrl(url)}@${ref ?? 'HEAD'}`;
  const dir = join(cacheDir, createHash('sha256').update(url).digest('hex').slice(0, 16));
  let cloned = false;
  return {
    display,
    async checkout() {
      try {
        if (!cloned) {
          const exists = await stat(join(dir, '.git')).then(() => true, () => false);
          if (!exists) {
            await mkdir(cacheDir, { recursive: true });
            await simpleGit().env(GIT_ENV).clone(url, dir, ['--no-checkout']);
          }
          cloned = true;
        }
        const git = simpleGit(dir).env(GIT_ENV);
        await git.fetch(['--force', 'origin', ref ?? 'HEAD']);
        await git.raw(['checkout', '--force', '--detach', 'FETCH_HEAD']);
        await git.raw(['clean', '-ffdx']);
        return { dir, revision: (await git.revparse(['HEAD'])).trim() };
      } catch (error) {
        if (error instanceof RosettaError) throw error;
        throw new RosettaError('ROS_SOURCE', `cannot fetch ${display}: ${gitCause(error, url)}`, { hint: 'check the URL, --ref and the git credentials (helper, SSH agent)' });
      }
    },
  };
}

/** Lines git prints on the way that say nothing about what went wrong. */
const GIT_PROGRESS = /^(Cloning into|remote: (Enumerating|Counting|Compressing|Total)|Receiving objects|Resolving deltas)/;

/**
 * What git said went wrong (its fatal/error lines, the auth failure, the HTTP status), not its
 * first line ("Cloning into …"); credentials in URLs redacted, at most three lines.
 */
export function gitCause(error: unknown, url: string): string {
  const lines = String((error as Error)?.message ?? error)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !GIT_PROGRESS.test(line));
  const causes = lines.filter((line) => /^(fatal|error|remote: (fatal|error))/i.test(line));
  const shown = (causes.length > 0 ? causes : lines).slice(0, 3).join(' / ') || 'git failed';
  return redactGitUrl(shown.replaceAll(url, redactGitUrl(url))).replace(/([a-z+]+:\/\/)[^@/\s]+@/gi, '$1***@');
}
