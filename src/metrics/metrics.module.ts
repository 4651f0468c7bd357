import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Session } from '../sessions/session.entity';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Global so that any feature service can count its events without importing this module. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Session])],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
