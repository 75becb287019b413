/** What a group commit settles for each request: its caller's promise. */
export interface Pending<Value> {
  readonly resolve: (value: Value) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The queue behind group commit: while one group is committing, what arrives waits, and the
 * next group takes it all (at most `maxGroup`). What arrives while nothing is committing is
 * committed at once, alone, so group commit adds no wait when there is no load.
 */
export class GroupCommit<Request extends object, Value> {
  private waiting: Array<Request & Pending<Value>> = [];
  private committing = false;

  /** `commit` settles every item of its group; should it throw, the group's items are failed. */
  constructor(
    private readonly commit: (group: ReadonlyArray<Request & Pending<Value>>) => Promise<void>,
    readonly maxGroup: number,
  ) {
    if (!Number.isInteger(maxGroup) || maxGroup < 1) {
      throw new RangeError('maxGroup must be a positive integer');
    }
  }

  /** Queues a request; the promise settles as its group's commit settles it. */
  submit(request: Request): Promise<Value> {
    return new Promise<Value>((resolve, reject) => {
      this.waiting.push({ ...request, resolve, reject });
      if (!this.committing) void this.commitWaiting();
    });
  }

  private async commitWaiting(): Promise<void> {
    this.committing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.slice(0, this.maxGroup);
        this.waiting = this.waiting.slice(group.length);
        await this.commit(group).catch((error: unknown) => {
          for (const item of group) item.reject(error);
        });
      }
    } finally {
      this.committing = false;
    }
  }
}
