/** Prometheus metrics kept in memory: counters and one latency histogram, rendered in the text exposition format. */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
  private readonly latency = { counts: new Array<number>(12).fill(0), sum: 0, count: 0 };

  increment(name: string, by = 1, labels: Record<string, string> = {}): void {
    const key = `${name}${formatLabels(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  observeBatchSeconds(seconds: number): void {
    const index = this.buckets.findIndex((bound) => seconds <= bound);
    this.latency.counts[index === -1 ? this.buckets.length : index]! += 1;
    this.latency.sum += seconds;
    this.latency.count += 1;
  }

  render(
    gauges: { name: string; help: string; samples: { labels: Record<string, string>; value: number }[] }[],
  ): string {
    const lines: string[] = [];
    const counterNames = new Set([...this.counters.keys()].map((key) => key.split('{')[0]!));
    for (const name of [...counterNames].sort()) {
      lines.push(`# TYPE ${name} counter`);
      for (const [key, value] of this.counters) if (key.split('{')[0] === name) lines.push(`${key} ${value}`);
    }
    lines.push('# HELP tillwright_ingest_batch_seconds Time to ingest one batch, commit included.');
    lines.push('# TYPE tillwright_ingest_batch_seconds histogram');
    let cumulative = 0;
    this.buckets.forEach((bound, i) => {
      cumulative += this.latency.counts[i]!;
      lines.push(`tillwright_ingest_batch_seconds_bucket{le="${bound}"} ${cumulative}`);
    });
    lines.push(`tillwright_ingest_batch_seconds_bucket{le="+Inf"} ${this.latency.count}`);
    lines.push(`tillwright_ingest_batch_seconds_sum ${this.latency.sum}`);
    lines.push(`tillwright_ingest_batch_seconds_count ${this.latency.count}`);
    for (const gauge of gauges) {
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
      for (const sample of gauge.samples)
        lines.push(`${gauge.name}${formatLabels(sample.labels)} ${sample.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
