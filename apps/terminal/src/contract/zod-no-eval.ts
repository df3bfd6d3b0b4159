import { config } from 'zod';

// The page's content security policy forbids eval. Zod 4 probes for eval (new Function) when it builds its first
// object schema unless told not to, and Chromium reports that probe as a CSP violation in the console. Imported
// first by the renderer's main.tsx, before any module that builds a schema (the host, in Node, needs none of this).
config({ jitless: true });
