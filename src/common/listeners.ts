import { Logger } from '@nestjs/common';

/**
 * Subscribers to one kind of notification. Each is called on its own: one that throws is logged,
 * and the others still hear of it, as does the code that notified (a committed change must not
 * turn into an error for its caller because a listener failed).
 */
export class Listeners<T> {
  private readonly all = new Set<(value: T) => void>();

  constructor(
    private readonly logger: Logger,
    private readonly what: (value: T) => string,
  ) {}

  /** Returns the unsubscribe. */
  add(listener: (value: T) => void): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  notify(value: T): void {
    for (const listener of this.all) {
      try {
        listener(value);
      } catch (error) {
        this.logger.error(`a listener failed on ${this.what(value)}: ${String(error)}`);
      }
    }
  }
}
