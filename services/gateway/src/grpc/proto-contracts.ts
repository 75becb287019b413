import * as protoLoader from '@grpc/proto-loader';

/**
 * `keepCase`: the objects use the .proto field names (`media_urls`), so the descriptors that
 * reflection serves (grpcurl) match the .proto, and the case change happens in one place, each
 * context's mapper. Longs and enums as strings keep values exact and readable; `defaults` fills
 * unset scalars, while `optional` fields stay undefined when unset (their presence matters).
 */
export const PROTO_LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies protoLoader.Options;

/**
 * Loads one contract from the proto root (the repository's `proto/` folder) at runtime:
 * proto-loader encodes and decodes (the generated code is types only), and reflection serves the
 * descriptors it reads.
 */
export function loadContract(file: string, protoDir: string): protoLoader.PackageDefinition {
  return protoLoader.loadSync(file, { ...PROTO_LOADER_OPTIONS, includeDirs: [protoDir] });
}

/** A service's definition, for `Server.addService` and `makeClientConstructor`. */
export function serviceDefinitionOf(
  packageDefinition: protoLoader.PackageDefinition,
  serviceName: string,
  file: string,
): protoLoader.ServiceDefinition {
  const definition = packageDefinition[serviceName];
  if (definition === undefined || 'format' in definition) {
    throw new Error(`${serviceName} is not defined in ${file}`);
  }
  return definition;
}
