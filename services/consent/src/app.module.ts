import { Module, type DynamicModule } from '@nestjs/common';
import { OpsModule, type OpsRegistries } from '@textplane/service-runtime';

/**
 * The consent service's HTTP surface is operational only: its work arrives through Kafka, and
 * the gateway answers consent queries from its own read models.
 */
@Module({})
export class ConsentHttpModule {
  static forRoot(ops: OpsRegistries): DynamicModule {
    return { module: ConsentHttpModule, imports: [OpsModule.forRoot(ops)] };
  }
}
