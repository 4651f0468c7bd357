import './config/load-env-file';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { AppConfig } from './config/app-config';
import { ConfigValidationError } from './config/config-validation.error';
import { loadAppConfig } from './config/load-app-config';
import { listenMessage } from './logging/listen-message';

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so that a bad key is reported as one line (below), not as
  // Nest's stack trace; the AppConfig provider then hands out this same object.
  loadAppConfig();
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen({ host: config.host, port: config.port });
  // The bound port, which differs from the configured one when PORT=0 asks for any free port.
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  new Logger('Bootstrap').log(listenMessage(config.host, port));
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
