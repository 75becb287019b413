import { describe, expect, it } from 'vitest';
import { CpuAccount, machineTicks, processTicks, sharedPartOf } from './cpu-account.js';

describe('processTicks', () => {
  it('adds utime and stime, past a command name holding spaces and parentheses', () => {
    const stat =
      '4242 (node (gate) way) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 5000';
    expect(processTicks(stat)).toBe(1234 + 567);
  });

  it('gives undefined for text that is not a stat line', () => {
    expect(processTicks('gone')).toBeUndefined();
  });
});

describe('machineTicks', () => {
  it('counts user, nice, system, irq and softirq as busy; idle, iowait and steal as not', () => {
    const stat = 'cpu  100 5 50 1000 20 3 7 9 0 0\ncpu0 50 2 25 500 10 1 3 4 0 0\nintr 1 2 3\n';
    expect(machineTicks(stat)).toEqual({ busy: 165, total: 165 + 1000 + 20 + 9 });
  });

  it('gives undefined without an aggregate cpu line', () => {
    expect(machineTicks('cpu0 1 2 3 4 5 6 7 8\n')).toBeUndefined();
  });
});

describe('sharedPartOf', () => {
  it('knows Postgres processes by name and the Kafka broker by its main class', () => {
    expect(sharedPartOf('postgres', '/usr/lib/postgresql/15/bin/postgres\0-D\0/data\0')).toBe(
      'postgres',
    );
    expect(sharedPartOf('postgres', '')).toBe('postgres');
    expect(
      sharedPartOf('java', 'java\0-Xmx1g\0-cp\0libs/*\0kafka.Kafka\0server.properties\0'),
    ).toBe('kafka');
  });

  it('leaves other processes, other JVMs and mere mentions of Kafka alone', () => {
    expect(sharedPartOf('java', 'java\0-jar\0app.jar\0')).toBeUndefined();
    expect(sharedPartOf('node', 'node\0kafka.Kafka\0')).toBeUndefined();
    expect(sharedPartOf('bash', 'bash\0-c\0postgres\0')).toBeUndefined();
  });
});

describe('CpuAccount', () => {
  it('measures this process and the machine over a window of busy work', async () => {
    const account = await CpuAccount.begin({ gateway: { kind: 'pid', pid: process.pid } });
    // Spin until this process has used 120 ms of CPU, however busy the machine is.
    const cpuMs = (): number => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1_000;
    };
    const until = cpuMs() + 120;
    let spin = 0;
    while (cpuMs() < until) spin += Math.sqrt(spin + 1);

    const perMessage = await account.perMessage(2);

    expect(spin).toBeGreaterThan(0);
    // About 120 ms of CPU over 2 messages; ticks are 10 ms, so allow a tick or two either way.
    expect(perMessage.services.gateway).toBeGreaterThanOrEqual(40);
    expect(perMessage.services.gateway).toBeLessThanOrEqual(200);
    // Read a moment apart from the process's own, so a tick either way.
    expect(perMessage.machine).toBeGreaterThanOrEqual((perMessage.services.gateway ?? 0) - 10);
    expect(perMessage.machineBusy).toBeGreaterThan(0);
    expect(perMessage.machineBusy).toBeLessThanOrEqual(1);
    // The benchmark's own share is this process too, read from process.cpuUsage.
    expect(perMessage.bench).toBeGreaterThanOrEqual(40);
    expect(perMessage.bench).toBeLessThanOrEqual(200);
  });
});
