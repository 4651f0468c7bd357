import { Global, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from './app-config';
import { loadAppConfig, takeConfigWarnings } from './load-app-config';

/**
 * Provides the validated, typed {@link AppConfig} to the whole application. Tests replace it with
 * `Test.createTestingModule({ imports: [AppModule] }).overrideProvider(AppConfig).useValue(...)`.
 */
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: loadAppConfig }],
  exports: [AppConfig],
})
export class AppConfigModule implements OnModuleInit {
  private readonly logger = new Logger('Config');

  // Logged here rather than while parsing, so that they go through the app's JSON logger.
  onModuleInit(): void {
    for (const warning of takeConfigWarnings()) {
      this.logger.warn(warning);
    }
  }
}
