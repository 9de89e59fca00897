import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { HttpRoute } from '@talent-hub/platform/http-front';
import { projectRoot } from '@talent-hub/platform/paths';

// The web apps (the explorer at `/`, the dashboard at `/dashboard`) are Vite builds served from their workspace's
// dist/ folder by the gateway itself: same origin as the graph, so no CORS, and nothing loaded from a CDN. In a
// deployment with a web container (deploy/), nginx serves the same dist/ folders instead.

/** A web app workspace: its folder under the project root and the path prefix its Vite `base` was built for. */
export interface WebApp {
  name: string;
  prefix: string;
}

export const explorerApp: WebApp = { name: 'explorer', prefix: '/explorer' };
export const dashboardApp: WebApp = { name: 'dashboard', prefix: '/dashboard' };
export const webApps: readonly WebApp[] = [explorerApp, dashboardApp];

export function webAppDist(app: WebApp, root = projectRoot): string {
  return path.join(root, app.name, 'dist');
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};
const compressible = /^(text\/|application\/(json|wasm)|image\/svg)/;

/**
 * Pages only talk to their own origin (the graph, /export, /dev/token): a script injected into a page could not
 * send data elsewhere. Monaco (the explorer's editor) runs its language services in workers made from blob URLs and
 * sets inline styles.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

interface CachedFile {
  body: Buffer;
  gzipped?: Buffer;
  etag: string;
  mtimeMs: number;
}

/**
 * Serves a built app under its prefix: files as they are, `index.html` for every other path without a file
 * extension (client-side routes such as /dashboard/programmes), 404 for a missing file with an extension. Hashed
 * files under assets/ are cached for a year; index.html is revalidated on every load, so a rebuild shows at once.
 */
export function webAppRoute(app: WebApp, dist = webAppDist(app)): HttpRoute {
  const files = new Map<string, CachedFile>();
  return {
    prefix: app.prefix,
    async handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        req.resume();
        res.setHeader('allow', 'GET, HEAD');
        return sendText(res, 405, 'Method Not Allowed');
      }
      req.resume();
      const rawPath = (req.url ?? '/').split('?', 1)[0]!;
      let relative: string;
      try {
        relative = decodeURIComponent(rawPath.slice(app.prefix.length)).replace(/^\/+/, '');
      } catch {
        return sendText(res, 400, 'Bad Request: the path is not valid percent-encoding.');
      }
      // Redirect /dashboard to /dashboard/ so that the app's relative asset URLs resolve under its prefix.
      if (rawPath === app.prefix) {
        const query = (req.url ?? '').slice(rawPath.length);
        res.writeHead(308, { location: `${app.prefix}/${query}` });
        res.end();
        return;
      }
      const resolved = path.resolve(dist, relative);
      if (resolved !== dist && !resolved.startsWith(dist + path.sep)) return sendText(res, 404, 'Not Found');
      const wantsFile = path.extname(relative) !== '';
      const file = await load(files, wantsFile ? resolved : path.join(dist, 'index.html'));
      if (!file) {
        if (wantsFile) return sendText(res, 404, 'Not Found');
        return notBuilt(res, app);
      }
      const name = wantsFile ? resolved : 'index.html';
      send(req, res, file, name, wantsFile && relative.startsWith('assets/'));
    },
  };
}

/**
 * The page a browser gets at `/`: the explorer's index.html (its assets load from /explorer/assets/). Answered by
 * the HTTP front before Apollo Server, only to navigations (Accept: text/html, no query string).
 */
export function landingPage(dist = webAppDist(explorerApp)): HttpRoute['handle'] {
  const files = new Map<string, CachedFile>();
  return async (req, res) => {
    req.resume();
    const file = await load(files, path.join(dist, 'index.html'));
    if (!file) return notBuilt(res, explorerApp);
    send(req, res, file, 'index.html', false);
  };
}

async function load(files: Map<string, CachedFile>, file: string): Promise<CachedFile | undefined> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return undefined;
  }
  if (!info.isFile()) return undefined;
  const cached = files.get(file);
  if (cached && cached.mtimeMs === info.mtimeMs) return cached;
  const body = await readFile(file);
  const loaded: CachedFile = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, mtimeMs: info.mtimeMs };
  const type = contentTypes[path.extname(file)] ?? 'application/octet-stream';
  if (compressible.test(type) && body.length > 1024) loaded.gzipped = gzipSync(body);
  // A build holds a bounded set of files; the map never grows past it (a rebuild replaces entries by path).
  files.set(file, loaded);
  return loaded;
}

function send(req: http.IncomingMessage, res: http.ServerResponse, file: CachedFile, name: string, immutable: boolean): void {
  const type = contentTypes[path.extname(name)] ?? 'application/octet-stream';
  res.setHeader('content-type', type);
  res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  res.setHeader('etag', file.etag);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('vary', 'accept-encoding');
  if (type.startsWith('text/html')) res.setHeader('content-security-policy', contentSecurityPolicy);
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304);
    res.end();
    return;
  }
  const gzip = file.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzipped! : file.body;
  if (gzip) res.setHeader('content-encoding', 'gzip');
  res.setHeader('content-length', body.length);
  res.writeHead(200);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function notBuilt(res: http.ServerResponse, app: WebApp): void {
  sendText(res, 503, `The ${app.name} is not built: run \`npm run build:web\` (npm start builds it when it is missing).`);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
