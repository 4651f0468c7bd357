import { Logger } from '@nestjs/common';
import { AfterResponse } from './after-response.service';

describe(AfterResponse.name, () => {
  let afterResponse: AfterResponse;

  beforeEach(() => {
    afterResponse = new AfterResponse();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('returns before the work has started, and settled() waits for it', async () => {
    const steps: string[] = [];

    await afterResponse.run('test work', () => {
      steps.push('work');
      return Promise.resolve();
    });
    steps.push('answered');
    await afterResponse.settled();

    expect(steps).toEqual(['answered', 'work']);
  });

  it('logs a failure instead of throwing it', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    await afterResponse.run('failing work', () => Promise.reject(new Error('boom')));
    await afterResponse.settled();

    expect(logged).toHaveBeenCalledWith('failing work failed', expect.stringContaining('boom'));
  });

  it('waits at shutdown for work in flight, then runs new work inside its request', async () => {
    let finished = 0;
    const slowWork = () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          finished += 1;
          resolve();
        }, 20),
      );
    await afterResponse.run('in flight', slowWork);

    await afterResponse.beforeApplicationShutdown();
    expect(finished).toBe(1);
    await afterResponse.run('during shutdown', slowWork);
    expect(finished).toBe(2);
  });
});
