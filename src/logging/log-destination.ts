import type { DestinationStream } from 'pino';

/**
 * Where the JSON log lines go: pino's own standard-output writer unless `stream` is set. Tests
 * replace this provider to read the lines (`.overrideProvider(LogDestination)`).
 */
export class LogDestination {
  constructor(readonly stream?: DestinationStream) {}
}
