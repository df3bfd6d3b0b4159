import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The renderer's import rule (biome.json, `noRestrictedImports` over apps/terminal/src/renderer/**), run the way
 * `npm run lint` runs it, on probe files written into the renderer folder: what it refuses, what it allows, and that
 * it says why.
 */
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
const probeId = `__import-probe-${randomUUID()}`;
const rendererProbes = join(packageRoot, 'src', 'renderer', probeId);
const hostProbes = join(packageRoot, 'src', probeId);

const PROBES = {
  forbidden: [
    "import 'node:fs';",
    "import 'fs';",
    "import '@tillwright/ledger';",
    "import '@tillwright/devices';",
    "import '@tillwright/protocol/chain';",
    "import '../host/sale-service.js';",
    "import './sub/../../host/cli.js';",
    "import '../contract/../host/cli.js';",
    "import 'ws';",
    "import 'better-sqlite3';",
    "export * from 'node:os';",
    "export const later = () => import('node:child_process');",
  ],
  allowedThenOneForbidden: [
    "import '../contract/methods.js';",
    "import './cart-store.js';",
    "import './nested/helper.js';",
    "import '@tillwright/commerce';",
    "import '@tillwright/protocol';",
    "import '@tillwright/devices/wedge';",
    "import 'react';",
    "import 'react/jsx-runtime';",
    "import 'react-dom/client';",
    "import 'zustand';",
    "import 'zustand/vanilla';",
    "import 'dexie';",
    "import 'node:fs';",
  ],
  testFile: [
    "import 'vitest';",
    "import 'fake-indexeddb/auto';",
    "import 'ws';",
    "import 'node:net';",
    "import '../host/sale-service.js';",
    "import 'node:fs';",
  ],
  vitestOutsideTests: ["import 'vitest';"],
};

interface Finding {
  file: string;
  line: number;
  message: string;
}
let findings: Finding[] = [];

beforeAll(async () => {
  mkdirSync(rendererProbes, { recursive: true });
  mkdirSync(hostProbes, { recursive: true });
  const write = (dir: string, name: string, lines: string[]) =>
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  write(rendererProbes, 'forbidden.ts', PROBES.forbidden);
  write(rendererProbes, 'allowed.ts', PROBES.allowedThenOneForbidden);
  write(rendererProbes, 'probe.test.ts', PROBES.testFile);
  write(rendererProbes, 'vitest.ts', PROBES.vitestOutsideTests);
  write(hostProbes, 'host.ts', PROBES.forbidden);
  const report = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [
        biome,
        'lint',
        '--reporter=json',
        relative(packageRoot, rendererProbes),
        relative(packageRoot, hostProbes),
      ],
      { cwd: packageRoot, maxBuffer: 16 * 1024 * 1024 },
      // Biome exits 1 when it finds errors, which is what most probes are for.
      (error, stdout) => (stdout ? resolve(stdout) : reject(error ?? new Error('biome printed nothing'))),
    ),
  );
  const { diagnostics } = JSON.parse(report) as {
    diagnostics: { category: string; message: string; location: { path: string; start: { line: number } } }[];
  };
  findings = diagnostics
    .filter((diagnostic) => diagnostic.category === 'lint/style/noRestrictedImports')
    .map(({ message, location }) => ({
      file: location.path.split(/[\\/]/).at(-1)!,
      line: location.start.line,
      message,
    }));
}, 60_000);

afterAll(() => {
  rmSync(rendererProbes, { recursive: true, force: true });
  rmSync(hostProbes, { recursive: true, force: true });
});

const flaggedLines = (file: string) => findings.filter((f) => f.file === file).map((f) => f.line);
const lineNumbers = (lines: string[]) => lines.map((_, index) => index + 1);

describe('what the renderer may import (biome noRestrictedImports)', () => {
  it('refuses Node modules, the ledger, the devices’ main entry, host code and server libraries, saying why', () => {
    expect(flaggedLines('forbidden.ts')).toEqual(lineNumbers(PROBES.forbidden));
    for (const finding of findings.filter((f) => f.file === 'forbidden.ts')) {
      expect(finding.message).toMatch(/reaches everything else through the host, over the contract/);
      expect(finding.message).toMatch(/add a contract method instead/);
    }
  });

  it('allows the contract, the pure packages, the wedge classifier, its UI libraries and its own files', () => {
    // The last line is forbidden: the rule did look at this file, and passed every line before it.
    expect(flaggedLines('allowed.ts')).toEqual([PROBES.allowedThenOneForbidden.length]);
  });

  it('lets the renderer’s tests import vitest and fake-indexeddb too, and ws and node:net to stand in for the host, and nothing else beyond the rule', () => {
    expect(flaggedLines('probe.test.ts')).toEqual([5, 6]);
    expect(flaggedLines('vitest.ts')).toEqual([1]);
  });

  it('applies to the renderer only: the host imports what it needs', () => {
    expect(flaggedLines('host.ts')).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);
  });
});
