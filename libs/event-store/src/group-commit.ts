/** Something a group commit settles: at least, it can be failed. */
export interface Pending {
  reject(error: unknown): void;
}

/**
 * The queue behind group commit: while one group is committing, what arrives waits, and the
 * next group takes it all (at most `maxGroup`). What arrives while nothing is committing is
 * committed at once, alone, so group commit adds no wait when there is no load.
 */
export class GroupCommit<Item extends Pending> {
  private waiting: Item[] = [];
  private committing = false;

  /** `commit` settles every item of its group; should it throw, the group's items are failed. */
  constructor(
    private readonly commit: (group: readonly Item[]) => Promise<void>,
    readonly maxGroup: number,
  ) {
    if (!Number.isInteger(maxGroup) || maxGroup < 1) {
      throw new RangeError('maxGroup must be a positive integer');
    }
  }

  enqueue(item: Item): void {
    this.waiting.push(item);
    if (!this.committing) void this.commitWaiting();
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
