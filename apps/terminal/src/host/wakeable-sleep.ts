/**
 * A sleep that a wake-up ends early. A wake-up while nobody sleeps ends the next sleep at once, so a kick that lands
 * between two sleeps (a sale committed while a push was in flight) is never lost.
 */
export class WakeableSleep {
  private wakeSleeper: (() => void) | null = null;
  private pending = false;

  wake(): void {
    if (this.wakeSleeper) this.wakeSleeper();
    else this.pending = true;
  }

  /** Resolves true when woken early, false when the time ran out. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.pending) {
        this.pending = false;
        resolve(true);
        return;
      }
      const timer = setTimeout(() => done(false), ms);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        this.wakeSleeper = null;
        resolve(woken);
      };
      this.wakeSleeper = () => done(true);
    });
  }
}

/**
 * The sync client's backoff wait. While offline, the server's /healthz is probed every few seconds (jittered) so
 * the outbox drains as soon as the network is back, not at the end of a backoff that grew to minutes during the
 * outage. Ends early on a wake-up.
 */
export async function waitProbingWhileOffline(
  sleeper: WakeableSleep,
  delay: number,
  probe: {
    offline: boolean;
    running: () => boolean;
    probeIntervalMs: number;
    random: () => number;
    reachable: () => Promise<boolean>;
    log: (message: string) => void;
  },
): Promise<void> {
  if (!probe.offline) {
    await sleeper.sleep(delay);
    return;
  }
  const until = Date.now() + delay;
  while (probe.running() && Date.now() < until) {
    const probeIn = probe.probeIntervalMs * (0.8 + 0.4 * probe.random());
    if (await sleeper.sleep(Math.min(probeIn, until - Date.now()))) return;
    if (await probe.reachable()) {
      probe.log('the sync server answers again; syncing now');
      return;
    }
  }
}
