import { Module, type DynamicModule } from '@nestjs/common';
import { OpsModule, type OpsRegistries } from '@textplane/service-runtime';

/** Messaging's HTTP surface is operational only: its work arrives through Kafka. */
@Module({})
export class MessagingHttpModule {
  static forRoot(ops: OpsRegistries): DynamicModule {
    return { module: MessagingHttpModule, imports: [OpsModule.forRoot(ops)] };
  }
}
