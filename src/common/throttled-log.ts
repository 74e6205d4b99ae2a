import { Logger } from '@nestjs/common';

/**
 * A warning that a flood cannot turn into a flood of lines: the first is logged, then at most
 * one per interval, saying how many were left out since the previous line.
 */
export class ThrottledWarning {
  private lastAt = -Infinity;
  private skipped = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(message: string): void {
    const at = this.now();
    if (at - this.lastAt < this.intervalMs) {
      this.skipped++;
      return;
    }
    const skipped = this.skipped > 0 ? ` (and ${this.skipped} more since the last such line)` : '';
    this.logger.warn(`${message}${skipped}`);
    this.lastAt = at;
    this.skipped = 0;
  }
}
