import type { DestinationStream } from 'pino';
import { MetricsController } from '../src/metrics/metrics.controller';
import { createTestApp } from './support/create-test-app';

const WARNING =
  'METRICS_TOKEN is not set: /metrics is public; set it, or keep /metrics unreachable from outside';

/** The start-up warnings of an app started with `env`, read from its JSON log. */
async function startupWarnings(env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const destination: DestinationStream = { write: (line: string) => void lines.push(line) };
  const testApp = await createTestApp(
    // Production refuses a bcrypt cost under 10; LOG_LEVEL warn keeps the info lines out.
    { BCRYPT_COST: '10', LOG_LEVEL: 'warn', ...env },
    { logDestination: destination },
  );
  await testApp.close();
  return lines
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .filter((record) => record.level === 40)
    .map((record) => record.msg);
}

describe(MetricsController.name, () => {
  describe('at start-up', () => {
    it('warns in production when METRICS_TOKEN is not set', async () => {
      expect(await startupWarnings({ NODE_ENV: 'production' })).toContain(WARNING);
    });

    it('does not warn in production when METRICS_TOKEN is set', async () => {
      const warnings = await startupWarnings({
        NODE_ENV: 'production',
        METRICS_TOKEN: 'scrape-token-0f9e8d7c',
      });

      expect(warnings).not.toContain(WARNING);
    });

    it('does not warn in development', async () => {
      expect(await startupWarnings({ NODE_ENV: 'development' })).not.toContain(WARNING);
    });
  });
});
