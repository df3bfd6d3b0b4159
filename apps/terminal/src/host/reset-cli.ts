#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ResetRefused, resetTerminal } from './terminal-reset.js';

const USAGE = `usage: tillwright-terminal-reset --data-dir DIR
  Resets a stopped till to "not enrolled". Refused while any event has not reached HQ. The ledger and credential
  are archived under DIR/archive/, never deleted.`;

try {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } }, strict: true });
  if (!values['data-dir']) throw new TypeError('--data-dir is required');
  const { archivedTo } = resetTerminal(values['data-dir'], new Date());
  process.stdout.write(`till reset; its ledger and credential are archived in ${archivedTo}\n`);
} catch (error) {
  if (error instanceof ResetRefused) {
    process.stderr.write(`reset refused (${error.code}): ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}
