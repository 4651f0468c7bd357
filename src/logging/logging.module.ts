import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { LogDestination } from './log-destination';
import { loggerParams } from './logger-options';

/** JSON logs through nestjs-pino at LOG_LEVEL (logger-options.ts says what is redacted). */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LogDestination, useValue: new LogDestination() }],
      inject: [AppConfig, LogDestination],
      useFactory: (config: AppConfig, destination: LogDestination) =>
        loggerParams(config, destination.stream),
    }),
  ],
})
export class LoggingModule {}
