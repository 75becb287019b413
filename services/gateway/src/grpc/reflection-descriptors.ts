import type * as protoLoader from '@grpc/proto-loader';
import descriptor, {
  type IDescriptorProto,
  type IEnumDescriptorProto,
  type IFileDescriptorProto,
} from 'protobufjs/ext/descriptor/index.js';

type TypeDefinition =
  protoLoader.MessageTypeDefinition<object, object> | protoLoader.EnumTypeDefinition;

/** Message and enum entries carry the file descriptors; service entries do not. */
function isTypeDefinition(entry: protoLoader.AnyDefinition): entry is TypeDefinition {
  return 'format' in entry;
}

/** Fully qualified names (leading dot) of the types declared in a scope, nested ones included. */
function declaredTypes(
  scope: string,
  messages: IDescriptorProto[],
  enums: IEnumDescriptorProto[],
): string[] {
  return [
    ...enums.map((enumType) => `${scope}.${enumType.name ?? ''}`),
    ...messages.flatMap((message) => {
      const name = `${scope}.${message.name ?? ''}`;
      return [name, ...declaredTypes(name, message.nestedType ?? [], message.enumType ?? [])];
    }),
  ];
}

/** Resolves a type reference as protoc does: innermost scope first, then outwards. */
function resolveReference(
  reference: string,
  scope: string,
  known: ReadonlyMap<string, string>,
): string | undefined {
  if (reference.startsWith('.')) return known.has(reference) ? reference : undefined;
  for (let current = scope; ; current = current.slice(0, current.lastIndexOf('.'))) {
    const candidate = `${current}.${reference}`;
    if (known.has(candidate)) return candidate;
    if (current === '') return undefined;
  }
}

/**
 * Each proto-loader load names its well-known types' file after the package
 * (`google_protobuf.proto`) and puts in it only the types that load used: Timestamp for one
 * contract, Struct and Timestamp for another. Served side by side, one would hide the other's
 * types, so files of the same name are merged into one holding every type.
 */
function mergeSameNamedFiles(files: IFileDescriptorProto[]): IFileDescriptorProto[] {
  const byName = new Map<string, IFileDescriptorProto>();
  const union = <T extends { name?: string | null }>(a: T[] = [], b: T[] = []): T[] => [
    ...a,
    ...b.filter((item) => !a.some((known) => known.name === item.name)),
  ];
  for (const file of files) {
    const name = file.name ?? '';
    const known = byName.get(name);
    byName.set(
      name,
      known === undefined
        ? file
        : {
            ...known,
            messageType: union(known.messageType, file.messageType),
            enumType: union(known.enumType, file.enumType),
            service: union(known.service, file.service),
          },
    );
  }
  return [...byName.values()];
}

/**
 * proto-loader re-derives file descriptors from protobufjs, which leaves every file's
 * `dependency` list empty and keeps field type names as written (grpc/grpc-node#2595).
 * Reflection clients such as grpcurl then list the services but cannot describe or call one
 * that uses an imported type (google.protobuf.Timestamp). This returns the definition with type
 * references fully qualified and each file's imports filled in, as protoc would emit them.
 */
export function withFileDependencies(
  definition: protoLoader.PackageDefinition,
): protoLoader.PackageDefinition {
  const encoded = new Map<string, Buffer>();
  for (const entry of Object.values(definition)) {
    if (!isTypeDefinition(entry)) continue;
    for (const bytes of entry.fileDescriptorProtos) encoded.set(bytes.toString('base64'), bytes);
  }
  const files = mergeSameNamedFiles(
    [...encoded.values()].map((bytes) => {
      const file: IFileDescriptorProto = descriptor.FileDescriptorProto.toObject(
        descriptor.FileDescriptorProto.decode(bytes),
      );
      return file;
    }),
  );

  const fileOfType = new Map<string, string>();
  for (const file of files) {
    const scope = file.package === undefined || file.package === '' ? '' : `.${file.package}`;
    for (const type of declaredTypes(scope, file.messageType ?? [], file.enumType ?? [])) {
      fileOfType.set(type, file.name ?? '');
    }
  }

  const relinked = files.map((file) => {
    const imports = new Set<string>();
    const qualify = (reference: string, scope: string): string => {
      const resolved = resolveReference(reference, scope, fileOfType);
      if (resolved === undefined) return reference;
      const definingFile = fileOfType.get(resolved);
      if (definingFile !== undefined && definingFile !== file.name) imports.add(definingFile);
      return resolved;
    };
    const relinkMessages = (messages: IDescriptorProto[], scope: string): void => {
      for (const message of messages) {
        const messageScope = `${scope}.${message.name ?? ''}`;
        for (const field of message.field ?? []) {
          if (field.typeName !== undefined) field.typeName = qualify(field.typeName, messageScope);
        }
        relinkMessages(message.nestedType ?? [], messageScope);
      }
    };
    const scope = file.package === undefined || file.package === '' ? '' : `.${file.package}`;
    relinkMessages(file.messageType ?? [], scope);
    for (const service of file.service ?? []) {
      for (const method of service.method ?? []) {
        if (method.inputType !== undefined) method.inputType = qualify(method.inputType, scope);
        if (method.outputType !== undefined) method.outputType = qualify(method.outputType, scope);
      }
    }
    return Buffer.from(
      descriptor.FileDescriptorProto.encode(
        descriptor.FileDescriptorProto.fromObject({ ...file, dependency: [...imports] }),
      ).finish(),
    );
  });

  const relinkedDefinition: protoLoader.PackageDefinition = {};
  for (const [name, entry] of Object.entries(definition)) {
    relinkedDefinition[name] = isTypeDefinition(entry)
      ? { ...entry, fileDescriptorProtos: relinked }
      : entry;
  }
  return relinkedDefinition;
}
