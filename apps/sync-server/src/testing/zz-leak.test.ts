import { it } from 'vitest';
import { startPostgres } from './postgres-server.js';
it('leaks', async () => {
  const s = await startPostgres();
  console.log('LEAK', s.port, s.dir);
}, 60000);
