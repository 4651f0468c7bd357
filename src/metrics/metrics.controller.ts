import {
  Controller,
  Get,
  Header,
  Headers,
  Logger,
  Res,
  UnauthorizedException,
  type OnModuleInit,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/decorators/public.decorator';
import { AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrape target, outside the API prefix. Open unless METRICS_TOKEN is set; it is an
 * operator endpoint, so it stays out of the client-facing OpenAPI document.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  private readonly logger = new Logger(MetricsController.name);

  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Route names, login counts and the number of live sessions are an attacker's map too.
    if (this.config.isProduction && this.config.metricsToken === undefined) {
      this.logger.warn(
        'METRICS_TOKEN is not set: /metrics is public; set it, or keep /metrics unreachable from outside',
      );
    }
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (token !== undefined && !presentsToken(authorization, token)) {
      throw new UnauthorizedException('A valid metrics token is required');
    }
    const text = await this.metrics.render();
    // Set here rather than with @Header, which would also label an error body as text.
    void reply.type(this.metrics.contentType);
    return text;
  }
}

function presentsToken(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? '');
  if (!match) {
    return false;
  }
  // Comparing digests keeps the comparison constant-time even when the lengths differ.
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(match[1]), digest(expected));
}
