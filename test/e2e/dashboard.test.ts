/// <reference lib="dom" />
// The dashboard in a real browser: Debian's Chromium driven by playwright-core, loading the page
// from a running controller against the simulator. What it shows, that a hostile message from the
// API stays text, that it updates after a new cycle, that the token is enforced, and that nothing
// overlaps or overflows at a laptop's and a phone's width (element boxes, not pixels).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { metric, startController, until } from '../helpers/reconcile.js';
import { simulator } from '../helpers/sim.js';

const CHROMIUM = process.env.ROSETTA_TEST_CHROMIUM ?? '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>\u001b[2J';
const UI_TOKEN = 'ui-token-DO-NOT-PRINT-4c1e';

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set ROSETTA_TEST_CHROMIUM`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** A controller on a folder of manifests whose sampling create fails, every cycle, with a hostile message. */
async function controllerWithFailure(extraArgs: string[] = [], env: Record<string, string> = {}) {
  const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
  sim.faults.inject('sampling', { type: 'business', code: 55005, message: HOSTILE }, 1_000);
  const dir = tempDir({ 'requests.yaml': `${annotationRequest('fine')}---\n${samplingPlan('fine-qa', 'fine')}` });
  const controller = await startController(sim, ['--source', dir, '--interval', '2s', '--state', join(tempDir(), 'state.json'), '--concurrency', '1', ...extraArgs], env);
  await until(async () => ((await metric(controller.url(), 'rosetta_reconcile_total{result="failed"}')) ?? 0) >= 1, 30_000);
  return { sim, dir, controller };
}

/** Leaf text boxes in <main> that overlap each other or stick out of the viewport. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport`);
    const leaves = Array.from(document.querySelectorAll('header *, main *')).filter((e) => e.children.length === 0 && (e.textContent ?? '').trim() !== '' && (e as HTMLElement).offsetParent !== null);
    const boxes = leaves.map((e) => ({ e, r: e.getBoundingClientRect() }));
    for (const { e, r } of boxes) if (r.right > width + 1 || r.left < -1) problems.push(`"${(e.textContent ?? '').slice(0, 30)}" sticks out (${Math.round(r.left)}..${Math.round(r.right)} of ${width})`);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
        if (overlap && !boxes[i]!.e.contains(boxes[j]!.e) && !boxes[j]!.e.contains(boxes[i]!.e)) problems.push(`"${(boxes[i]!.e.textContent ?? '').slice(0, 20)}" overlaps "${(boxes[j]!.e.textContent ?? '').slice(0, 20)}"`);
      }
    }
    return problems;
  });
}

describe('the dashboard in a browser', () => {
  it('shows resources by kind, what needs a person (the hostile message as text), the cycles, and updates after a new cycle', { timeout: 90_000 }, async () => {
    const { dir, controller } = await controllerWithFailure();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const response = await page.goto(`${controller.url()}/`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.locator('#role').textContent()).toBe('leader: this replica applies');
    expect(await page.locator('#resources h3').allTextContents()).toEqual(['AnnotationRequest 1']);
    expect(await page.locator('#resources tr[data-address="AnnotationRequest/fine"] td[data-label="status"]').textContent()).toBe('FINISHED');
    const failed = page.locator('#attention li.reason-failed');
    expect(await failed.locator('code.address').textContent()).toBe('SamplingPlan/fine-qa');
    expect(await failed.locator('.detail').textContent()).toBe(HOSTILE.replace('\u001b', '\\u001b')); // the escape character made visible
    expect(await failed.locator('.ids').textContent()).toMatch(/^code 55005 requestId [0-9a-f]{32}$/);
    // The message stayed text: no element came from it, and nothing ran.
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('#cycles tbody tr').count()).toBeGreaterThanOrEqual(1);

    // A new manifest: the next cycle applies it, and the open page shows it without a reload.
    writeFileSync(join(dir, 'more.yaml'), annotationRequest('later'));
    await expect.poll(() => page.locator('#resources tr[data-address="AnnotationRequest/later"]').count(), { timeout: 30_000 }).toBe(1);
    expect(errors, errors.join('\n')).toEqual([]);

    const api = (await (await fetch(`${controller.url()}/api/resources`)).json()) as { resources: { address: string }[]; attention: { address: string; reason: string }[] };
    expect(api.resources.map((r) => r.address)).toContain('AnnotationRequest/later');
    expect(api.attention).toContainEqual(expect.objectContaining({ address: 'SamplingPlan/fine-qa', reason: 'failed', detail: HOSTILE, code: 55005 }));
    const cycles = (await (await fetch(`${controller.url()}/api/cycles`)).json()) as { leading: boolean; cycles: { result: string }[] };
    expect(cycles.leading).toBe(true);
    expect(cycles.cycles.length).toBeGreaterThanOrEqual(2);
    controller.child.kill('SIGTERM');
  });

  it('lays out without overlap or overflow at a laptop and a phone width, light and dark', { timeout: 90_000 }, async () => {
    const { controller } = await controllerWithFailure();
    const shots = process.env.UPDATE_SCREENSHOTS ? join(REPO_ROOT, 'docs/images') : tempDir();
    mkdirSync(shots, { recursive: true });
    for (const [name, viewport, colorScheme] of [
      ['dashboard-laptop', { width: 1280, height: 800 }, 'light'],
      ['dashboard-phone', { width: 390, height: 844 }, 'dark'],
    ] as const) {
      const page = await browser.newPage({ viewport, colorScheme });
      await page.goto(`${controller.url()}/`);
      await page.locator('#attention').waitFor();
      expect(await layoutProblems(page), name).toEqual([]);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(colorScheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      await page.close();
    }
    controller.child.kill('SIGTERM');
  });

  it('needs the token when not on loopback: header or a cookie from /?token=; health and metrics stay open', { timeout: 90_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    const refused = await rosetta(sim, dir, ['reconcile', '--source', dir, '--listen', '0.0.0.0:0', '--state', join(tempDir(), 'state.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error[ROS_USAGE]: --listen 0.0.0.0:0 is reachable from other machines: set ROSETTA_UI_TOKEN');
    const controller = await startController(sim, ['--source', dir, '--listen', '0.0.0.0:0', '--state', join(tempDir(), 'state.json')], { ROSETTA_UI_TOKEN: UI_TOKEN });
    const base = controller.url().replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/api/resources`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/api/resources`, { headers: { authorization: `Bearer ${UI_TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/`, { method: 'POST', headers: { authorization: `Bearer ${UI_TOKEN}` } })).status).toBe(405);

    const page = await browser.newPage();
    await page.goto(`${base}/?token=${UI_TOKEN}`);
    expect(page.url()).toBe(`${base}/`); // the token left the address bar
    await page.locator('#resources').waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['rosetta_ui', true, 'Strict']]);
    expect(cookies[0]!.value).not.toContain(UI_TOKEN);
    expect(controller.log()).not.toContain(UI_TOKEN);
    controller.child.kill('SIGTERM');
  });
});
