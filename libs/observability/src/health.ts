export type ReadinessCheck = () => Promise<void>;

export interface Readiness {
  status: 'ok' | 'unavailable';
  /** 'ok' or the reason the check failed. */
  checks: Record<string, string>;
}

/**
 * Liveness says the process runs (a failing liveness restarts the pod); readiness says its
 * dependencies answer (a failing readiness only takes it out of the load balancer).
 */
export class HealthRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** @param checkTimeoutMs a check that has not settled by then counts as failed. */
  constructor(private readonly checkTimeoutMs = 2_000) {}

  addReadinessCheck(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  async readiness(): Promise<Readiness> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.run(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    const status = entries.every(([, result]) => result === 'ok') ? 'ok' : 'unavailable';
    return { status, checks };
  }

  private async run(check: ReadinessCheck): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${this.checkTimeoutMs} ms`)),
        this.checkTimeoutMs,
      );
    });
    try {
      await Promise.race([check(), timeout]);
      return 'ok';
    } catch (error: unknown) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
