import { describe, expect, it } from 'vitest';
import { WakeableSleep } from './wakeable-sleep.js';

describe('WakeableSleep', () => {
  it('ends a sleep early when woken, and says so', async () => {
    const sleeper = new WakeableSleep();
    const asleep = sleeper.sleep(60_000);
    sleeper.wake();
    expect(await asleep).toBe(true);
  });

  it('keeps a wake-up that came while nobody slept for the next sleep, once', async () => {
    const sleeper = new WakeableSleep();
    sleeper.wake();
    expect(await sleeper.sleep(60_000)).toBe(true);
    expect(await sleeper.sleep(0)).toBe(false);
  });
});
