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
