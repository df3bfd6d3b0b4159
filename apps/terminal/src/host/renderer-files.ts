import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { RPC_TOKEN_META_NAME } from '../contract/browser-rpc.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Plain path segments only: no dot segments, no percent-encoding, no backslashes, nothing a decoder could widen. */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export type RendererFile =
  | { status: 200; type: string; body: Buffer | string }
  | { status: 400 | 404; type: 'text/plain'; body: string };

/**
 * The renderer file a request target names, from the raw target as the client sent it. Anything that is not a
 * plain path below the renderer folder is a bad request, refused before any file is looked at. `index.html` is
 * served with this launch's RPC token in it.
 */
export async function rendererFile(root: string, target: string, rpcToken: string): Promise<RendererFile> {
  const path = target.split('?')[0]!;
  const relative = path === '/' ? 'index.html' : path.slice(1);
  const segments = relative.split('/');
  if (!path.startsWith('/') || !segments.every((segment) => SAFE_SEGMENT.test(segment))) {
    return { status: 400, type: 'text/plain', body: 'bad path' };
  }
  const rootDir = resolve(root);
  const file = resolve(rootDir, join(...segments));
  if (!file.startsWith(`${rootDir}${sep}`)) return { status: 400, type: 'text/plain', body: 'bad path' };
  const type = CONTENT_TYPES[extname(file)];
  if (!type) return { status: 404, type: 'text/plain', body: 'not found' };
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return { status: 404, type: 'text/plain', body: 'not found' };
  }
  if (relative === 'index.html')
    return { status: 200, type, body: withRpcToken(body.toString('utf8'), rpcToken) };
  return { status: 200, type, body };
}

/** The page with the token the bridge presents on /rpc, as a meta element at the end of its head. */
export function withRpcToken(html: string, token: string): string {
  const headEnd = html.indexOf('</head>');
  if (headEnd < 0) throw new Error('renderer index.html has no </head> to carry the RPC token');
  const meta = `<meta name="${RPC_TOKEN_META_NAME}" content="${token}" />`;
  return `${html.slice(0, headEnd)}${meta}${html.slice(headEnd)}`;
}
