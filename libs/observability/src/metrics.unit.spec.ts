import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics.js';

describe('MetricsRegistry', () => {
  it('given a counter incremented twice, then the exposition shows it with the service label', async () => {
    const registry = new MetricsRegistry('messaging');
    const sent = registry.counter('messages_sent_total', 'Messages handed to the carrier', [
      'encoding',
    ]);
    sent.inc({ encoding: 'GSM-7' });
    sent.inc({ encoding: 'GSM-7' });

    const text = await registry.metrics();
    expect(text).toContain('# TYPE messages_sent_total counter');
    expect(text).toContain('messages_sent_total{encoding="GSM-7",service="messaging"} 2');
  });

  it('given the default metrics, then process_resident_memory_bytes is exposed', async () => {
    const text = await new MetricsRegistry('billing').metrics();
    expect(text).toMatch(/^process_resident_memory_bytes\{service="billing"\} \d+/m);
  });

  it('given a histogram with buckets and a gauge, then both are exposed', async () => {
    const registry = new MetricsRegistry('gateway');
    registry
      .histogram('request_seconds', 'Request duration', ['route'], [0.1, 1])
      .observe({ route: '/v1/messages' }, 0.5);
    registry.gauge('queue_depth', 'Messages waiting').set(7);
    const text = await registry.metrics();
    expect(text).toContain(
      'request_seconds_bucket{le="1",service="gateway",route="/v1/messages"} 1',
    );
    expect(text).toContain('queue_depth{service="gateway"} 7');
    expect(registry.contentType).toContain('text/plain');
  });
});
