import {
  Controller,
  type DynamicModule,
  Get,
  Header,
  HttpCode,
  Inject,
  Module,
  Res,
} from '@nestjs/common';
import type { HealthRegistry, MetricsRegistry } from '@textplane/observability';
import type { FastifyReply } from 'fastify';

export const OPS_REGISTRIES = Symbol('OPS_REGISTRIES');

export interface OpsRegistries {
  health: HealthRegistry;
  metrics: MetricsRegistry;
}

/** Liveness, readiness and Prometheus metrics, the same on every service. */
@Controller()
class OpsController {
  constructor(@Inject(OPS_REGISTRIES) private readonly ops: OpsRegistries) {}

  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return this.ops.health.liveness();
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const readiness = await this.ops.health.readiness();
    await reply.status(readiness.status === 'ok' ? 200 : 503).send(readiness);
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    await reply
      .header('Content-Type', this.ops.metrics.contentType)
      .send(await this.ops.metrics.metrics());
  }
}

@Module({})
export class OpsModule {
  static forRoot(registries: OpsRegistries): DynamicModule {
    return {
      module: OpsModule,
      controllers: [OpsController],
      providers: [{ provide: OPS_REGISTRIES, useValue: registries }],
      exports: [OPS_REGISTRIES],
    };
  }
}
