import type { LoggerService, LogLevel } from '@nestjs/common';

/**
 * Nest's own start-up chatter: one line per module, controller and route. Useful when a route
 * does not show up, noise otherwise, so it is written at debug (`LOG_LEVEL=debug` shows it).
 */
const FRAMEWORK_STARTUP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * The JSON logger with Nest's start-up lines moved from info to debug. Everything else passes
 * through unchanged, so the first screen at `info` is the app's own lines (migrations applied,
 * warnings, where it listens).
 */
export class QuietStartupLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    // Nest passes the context as the last argument.
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && FRAMEWORK_STARTUP_CONTEXTS.has(context)) {
      this.debug(message, ...optionalParams);
    } else {
      this.inner.log(message, ...optionalParams);
    }
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.error(message, ...optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.warn(message, ...optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.debug?.(message, ...optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.verbose?.(message, ...optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.fatal?.(message, ...optionalParams);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.inner.setLogLevels?.(levels);
  }
}
