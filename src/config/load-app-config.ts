import { AppConfig } from './app-config';
import { parseEnvironment } from './env.validation';

let loaded: AppConfig | undefined;
let pendingWarnings: string[] = [];

/**
 * The process's configuration, validated from `process.env` on first use and the same object
 * after that. `.env` is already merged into `process.env` by `load-env-file.ts`, which every entry
 * point imports first. main.ts calls this before Nest starts, so that an invalid key stops the
 * process with one line instead of Nest's stack trace.
 */
export function loadAppConfig(): AppConfig {
  loaded ??= parseEnvironment(process.env, { warn: (message) => pendingWarnings.push(message) });
  return loaded;
}

/** The warnings the validation raised (a generated development key, say), handed over once. */
export function takeConfigWarnings(): string[] {
  const warnings = pendingWarnings;
  pendingWarnings = [];
  return warnings;
}
