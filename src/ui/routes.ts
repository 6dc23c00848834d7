/**
 * The dashboard's HTTP routes, served by the reconcile listener and by `rosetta ui`: GET / (the
 * page), GET /api/resources and GET /api/cycles (the same data as JSON), GET /ui/style.css and
 * /ui/app.js. Read-only: nothing here changes anything. A strict Content-Security-Policy; with a
 * token (required when not on loopback), every route needs `Authorization: Bearer <token>`, or the
 * cookie that `/?token=<token>` sets once (a browser cannot send a header by itself: port-forward).
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../secrets.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCRIPT, STYLE } from './assets.js';
import type { DashboardData } from './data.js';
import { renderPage } from './page.js';

export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const COOKIE = 'rosetta_ui';

export interface UiDeps {
  data(): Promise<DashboardData>;
  /** ROSETTA_UI_TOKEN; undefined on loopback without one. */
  token?: string | undefined;
  title?: string;
}

/** Answers the dashboard's routes; false for any other path (the caller answers it). */
export async function handleUi(req: IncomingMessage, res: ServerResponse, deps: UiDeps): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://ui');
  const path = url.pathname;
  if (path !== '/' && !path.startsWith('/api/') && !path.startsWith('/ui/')) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain; charset=utf-8', 'read-only: GET only\n', { allow: 'GET, HEAD' });
    return true;
  }
  if (deps.token !== undefined) {
    const given = url.searchParams.get('token');
    if (path === '/' && given !== null && sameSecret(given, deps.token)) {
      // Once, from a link: a cookie for the browser, and the token out of the address bar and history.
      send(res, 303, 'text/plain; charset=utf-8', 'signed in\n', { location: '/', 'set-cookie': `${COOKIE}=${cookieValue(deps.token)}; HttpOnly; SameSite=Strict; Path=/` });
      return true;
    }
    if (!authorized(req, deps.token)) {
      send(res, 401, 'text/plain; charset=utf-8', 'this dashboard needs Authorization: Bearer <ROSETTA_UI_TOKEN> (or open /?token=<ROSETTA_UI_TOKEN> once)\n', { 'www-authenticate': 'Bearer realm="rosetta"' });
      return true;
    }
  }
  switch (path) {
    case '/':
      send(res, 200, 'text/html; charset=utf-8', renderPage(await deps.data(), deps.title));
      return true;
    case '/api/resources': {
      const { leading, resources, attention, at } = await deps.data();
      send(res, 200, 'application/json', `${JSON.stringify({ formatVersion: 1, at, leading, resources, attention })}\n`);
      return true;
    }
    case '/api/cycles': {
      const { leading, cycles, at } = await deps.data();
      send(res, 200, 'application/json', `${JSON.stringify({ formatVersion: 1, at, leading, cycles })}\n`);
      return true;
    }
    case '/ui/style.css':
      send(res, 200, 'text/css; charset=utf-8', STYLE);
      return true;
    case '/ui/app.js':
      send(res, 200, 'text/javascript; charset=utf-8', SCRIPT);
      return true;
    default:
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      return true;
  }
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ') && sameSecret(header.slice('Bearer '.length), token)) return true;
  const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
  return cookie !== undefined && sameSecret(cookie.slice(COOKIE.length + 1), cookieValue(token));
}

/** What the cookie holds: derived from the token, never the token itself. */
function cookieValue(token: string): string {
  return createHmac('sha256', 'rosetta-ui-cookie').update(token).digest('hex');
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
