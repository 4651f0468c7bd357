import './config/load-env-file';
import { createApp } from './app.setup';
import { AppConfig } from './config/app-config';
import { ConfigValidationError } from './config/config-validation.error';
import { loadAppConfig } from './config/load-app-config';

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so that a bad key is reported as one line (below), not as
  // Nest's stack trace; the AppConfig provider then hands out this same object.
  loadAppConfig();
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen({ host: config.host, port: config.port });
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    // One line per invalid key, nothing else, so an operator sees exactly what to fix.
    for (const problem of error.problems) {
      console.error(`Invalid configuration: ${problem}`);
    }
  } else {
    console.error(error);
  }
  process.exit(1);
});
