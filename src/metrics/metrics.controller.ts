import { Controller, Get, Header, Headers, Res, UnauthorizedException } from '@nestjs/common';
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
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

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
