import { Logger } from '@nestjs/common';
import { Listeners } from './listeners';

describe('Listeners', () => {
  const logger = () => {
    const errors: string[] = [];
    const log = { error: (message: string) => errors.push(message) } as unknown as Logger;
    return { log, errors };
  };

  it('calls every listener, in the order they were added', () => {
    const { log } = logger();
    const listeners = new Listeners<number>(log, (n) => `n ${n}`);
    const heard: string[] = [];
    listeners.add((n) => heard.push(`a${n}`));
    listeners.add((n) => heard.push(`b${n}`));
    listeners.notify(1);
    listeners.notify(2);
    expect(heard).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('logs a listener that throws, and the others and the caller go on', () => {
    const { log, errors } = logger();
    const listeners = new Listeners<number>(log, (n) => `event ${n}`);
    const heard: number[] = [];
    listeners.add(() => {
      throw new Error('boom');
    });
    listeners.add((n) => heard.push(n));
    expect(() => listeners.notify(7)).not.toThrow();
    expect(heard).toEqual([7]);
    expect(errors).toEqual(['a listener failed on event 7: Error: boom']);
  });

  it('stops calling a listener once it unsubscribed', () => {
    const { log } = logger();
    const listeners = new Listeners<number>(log, String);
    const heard: number[] = [];
    const stop = listeners.add((n) => heard.push(n));
    listeners.notify(1);
    stop();
    listeners.notify(2);
    expect(heard).toEqual([1]);
  });
});
