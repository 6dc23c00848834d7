/**
 * Where the manifests come from each cycle: a directory read as it is, or a git repository cloned
 * once into a cache folder and fetched at `ref` every cycle (simple-git over the git CLI, so
 * credentials come the usual git ways: credential helpers, SSH agent, GIT_ASKPASS). The revision
 * of every cycle is known; a URL is only ever shown without its credentials.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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
  if (GIT_URL.test(spec)) return gitSource(spec, options.ref ?? 'main', options.cacheDir);
  return directorySource(resolve(options.cwd, spec));
}

/** Credentials in a URL (https://user:token@host) never reach a log. */
export function redactGitUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]+@/i, '$1***@');
}

// No prompt may ever wait for a password: a missing credential is an error the loop reports.
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0' };

function directorySource(dir: string): Source {
  return {
    display: dir,
    async checkout() {
      const info = await stat(dir).catch(() => undefined);
      if (!info?.isDirectory()) throw new RosettaError('ROS_USAGE', `--source ${dir} is not a directory`);
      const revision = await simpleGit(dir).env(GIT_ENV).revparse(['HEAD']).catch(() => 'unversioned');
      return { dir, revision: revision.trim() };
    },
  };
}

function gitSource(url: string, ref: string, cacheDir: string): Source {
  const display = `${redactGitUrl(url)}@${ref}`;
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
        await git.fetch(['--force', 'origin', ref]);
        await git.raw(['checkout', '--force', '--detach', 'FETCH_HEAD']);
        await git.raw(['clean', '-ffdx']);
        return { dir, revision: (await git.revparse(['HEAD'])).trim() };
      } catch (error) {
        if (error instanceof RosettaError) throw error;
        // git's own message may quote the URL with its credentials.
        const message = redactGitUrl(String((error as Error)?.message ?? error).split('\n').find((l) => l.trim() !== '') ?? 'git failed').replaceAll(url, redactGitUrl(url));
        throw new RosettaError('ROS_SOURCE', `cannot fetch ${display}: ${message}`, { hint: 'check the URL, --ref and the git credentials (helper, SSH agent)' });
      }
    },
  };
}
