import { Global, Module } from '@nestjs/common';
import { RedisService } from './redis.service';

/** Provides {@link RedisService} everywhere; its connection exists only when REDIS_URL is set. */
@Global()
@Module({
  providers: [RedisService],
  exports: [RedisService],
})
export class RedisModule {}
