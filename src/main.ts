import './config/load-env-file';
import { AppConfig } from './config/app-config';
import { ConfigValidationError } from './config/config-validation.error';
import { createApp } from './app.setup';

async function bootstrap(): Promise<void> {
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
