import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every relative import of a module, type-only ones included: a cycle of types is still a cycle to untangle. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map((match) =>
    resolve(dirname(file), `${match[1]!}.ts`),
  );
}

/** The first import cycle found (as paths relative to src), or null. */
function findCycle(files: string[], edges: (file: string) => string[] = importsOf): string[] | null {
  const graph = new Map(files.map((file) => [file, edges(file)]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of files) {
    const cycle = visit(file);
    if (cycle) return cycle.map((f) => relative(SRC, f));
  }
  return null;
}

describe('the server’s module layout (issue #13, point 6)', () => {
  it('has no import cycle, type-only imports included', () => {
    expect(findCycle(sources(SRC))).toBeNull();
  });

  it('finds a cycle when there is one, so the check above can fail', () => {
    const [store, feed, ingest] = ['store.ts', 'feed.ts', 'ingest.ts'].map((name) =>
      join(SRC, 'store', name),
    );
    // The cycle this issue broke: store.ts → feed.ts → ingest.ts → store.ts.
    const loop: Record<string, string[]> = { [store!]: [feed!], [feed!]: [ingest!], [ingest!]: [store!] };
    expect(findCycle([store!, feed!, ingest!], (file) => loop[file] ?? [])).toEqual([
      'store/store.ts',
      'store/feed.ts',
      'store/ingest.ts',
      'store/store.ts',
    ]);
    expect(importsOf(join(SRC, 'app.ts')).length).toBeGreaterThan(5);
  });

  it('groups src by what it serves: only the app, its entry points, errors and test support sit at the top', () => {
    const loose = readdirSync(SRC).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
    expect(loose.sort()).toEqual(['app.ts', 'cli.ts', 'errors.ts', 'index.ts', 'test-support.ts']);
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    expect(folders.sort()).toEqual(['admission', 'auth', 'ops', 'routes', 'store', 'stream', 'testing']);
  });
});
