import { describe, expect, it } from 'vitest';
import {
  PeakMemorySampler,
  procStatusKb,
  residentMemoryBytes,
  rssWindows,
} from './memory-sampler.js';

const procStatus = [
  'Name:\tnode',
  'VmPeak:\t 1234568 kB',
  'VmHWM:\t  204800 kB',
  'VmRSS:\t  150000 kB',
  '',
].join('\n');

describe('procStatusKb', () => {
  it('reads the peak and the current resident set', () => {
    expect(procStatusKb(procStatus, 'VmHWM')).toBe(204_800);
    expect(procStatusKb(procStatus, 'VmRSS')).toBe(150_000);
  });

  it('is undefined when the field is absent (kernel thread, exited process)', () => {
    expect(procStatusKb('Name:\tkthreadd\n', 'VmHWM')).toBeUndefined();
  });
});

describe('residentMemoryBytes', () => {
  it('reads the prom-client gauge, with or without labels', () => {
    const text = [
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      'process_resident_memory_bytes 123731968',
      'process_resident_memory_bytes_total 1',
    ].join('\n');
    expect(residentMemoryBytes(text)).toBe(123_731_968);
    expect(residentMemoryBytes('process_resident_memory_bytes{service="gateway"} 1.5e8\n')).toBe(
      150_000_000,
    );
  });

  it('is undefined without the gauge', () => {
    expect(residentMemoryBytes('nodejs_heap_size_total_bytes 1\n')).toBeUndefined();
  });
});

describe('PeakMemorySampler', () => {
  it('reports this process by pid, and null for a service it cannot read', async () => {
    const sampler = new PeakMemorySampler({ gateway: { kind: 'pid', pid: process.pid } }, 20);
    const { peak, final } = await sampler.stop();
    expect(peak.gateway).toBeGreaterThan(process.memoryUsage().heapUsed / 1_048_576 / 2);
    expect(final.gateway).toBeGreaterThan(0);
    // The final figure is the resident set now, which never exceeds the kernel's high-water mark.
    expect(final.gateway).toBeLessThanOrEqual(peak.gateway ?? 0);
    for (const figures of [peak, final]) {
      expect(figures.messaging).toBeNull();
      expect(figures.consent).toBeNull();
      expect(figures['carrier-sim']).toBeNull();
    }
  });
});

describe('rssWindows', () => {
  const rss = (gateway: number | null, consent: number | null) => ({
    gateway,
    messaging: null,
    consent,
    registration: null,
    billing: null,
    'carrier-sim': null,
  });

  it('gives each window the lowest and highest reading per service, and skips empty windows', () => {
    const windows = rssWindows(
      [
        { atMs: 0, rss: rss(150, 100) },
        { atMs: 9_000, rss: rss(190, null) },
        { atMs: 9_999, rss: rss(170, 98) },
        { atMs: 30_000, rss: rss(null, 120) },
      ],
      10_000,
    );
    expect(windows).toEqual([
      { fromMs: 0, toMs: 10_000, low: rss(150, 98), high: rss(190, 100) },
      { fromMs: 30_000, toMs: 40_000, low: rss(null, 120), high: rss(null, 120) },
    ]);
  });

  it('refuses a window that is not positive', () => {
    expect(() => rssWindows([], 0)).toThrow('windowMs must be positive, got 0');
  });
});

describe('PeakMemorySampler samples', () => {
  it('dates each reading by the clock it is given, from when sampling began', async () => {
    let now = 5_000;
    const sampler = new PeakMemorySampler(
      { gateway: { kind: 'pid', pid: process.pid } },
      60_000,
      () => now,
    );
    now = 5_750;
    const { samples } = await sampler.stop();
    expect(samples.map((sample) => sample.atMs)).toEqual([0, 750]);
    expect(samples[1]?.rss.gateway).toBeGreaterThan(0);
    expect(samples[1]?.rss.messaging).toBeNull();
  });
});
