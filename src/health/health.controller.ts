import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator';
import { RedisHealthIndicator } from './redis-health.indicator';
import { ShutdownState } from './shutdown-state.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: the database (and Redis when configured) answers and the process is not ' +
      'shutting down (503 otherwise)',
  })
  check(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [
      () => {
        const indicator = this.indicators.check('lifecycle');
        return this.shutdown.isShuttingDown ? indicator.down('shutting down') : indicator.up();
      },
      () => this.database.pingCheck('database', { timeout: 3000 }),
    ];
    if (this.redis.enabled) {
      checks.push(() => this.redis.pingCheck('redis'));
    }
    return this.health.check(checks);
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process runs' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
