// Bundles the React renderer for Electron and browser mode (static files are copied beside it), and the
// Electron preload as CommonJS, which sandboxed preloads require.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'renderer');
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'renderer', 'main.tsx')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome120',
  jsx: 'automatic',
  sourcemap: true,
  minify: true,
  outfile: join(outdir, 'main.js'),
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
for (const file of ['index.html', 'styles.css', 'favicon.svg'])
  copyFileSync(join(root, 'src', 'renderer', file), join(outdir, file));

await build({
  entryPoints: [join(root, 'src', 'electron', 'preload.ts')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['electron'],
  outfile: join(root, 'dist', 'electron', 'preload.cjs'),
  logLevel: 'warning',
});
