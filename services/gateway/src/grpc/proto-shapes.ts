/**
 * The generated types (ts-proto, `src/generated/`, built from `proto/` by the `generate-proto`
 * target) say what a message holds. These helpers say how @grpc/proto-loader, which encodes and
 * decodes on the wire (`PROTO_LOADER_OPTIONS`), hands them over, so the gateway's objects keep
 * exactly today's shape while a proto change becomes a compile error where the code lags.
 */

/**
 * A decoded enum: its value name, or the bare number when the reader's copy of the .proto does
 * not know it (a newer peer).
 */
export type DecodedEnum = string | number;

type WrittenValue<V> = V extends readonly (infer E)[]
  ? WrittenValue<E>[]
  : V extends object
    ? Written<V>
    : V;

/**
 * What the server writes: every field named, `optional` ones too (a field added to the .proto
 * fails to compile until the mapper sets it), null leaving a field unset (protobufjs `fromObject`
 * skips it).
 */
export type Written<T> = {
  [K in keyof T]-?: undefined extends T[K]
    ? WrittenValue<Exclude<T[K], undefined>> | null
    : WrittenValue<T[K]>;
};

/** An enum (a union of value names) may also be a number; a plain string stays a string. */
type DecodedValue<V> = V extends string
  ? string extends V
    ? V
    : V | number
  : V extends readonly (infer E)[]
    ? DecodedValue<E>[]
    : V extends object
      ? Decoded<V>
      : V;

/**
 * What a reader gets with `defaults`: every scalar and list filled, an unset message field null,
 * an unset `optional` field absent (its presence matters), an unknown enum value a number.
 */
export type Decoded<T> = {
  [K in keyof T]: undefined extends T[K]
    ? Record<never, never> extends Pick<T, K>
      ? DecodedValue<Exclude<T[K], undefined>> | undefined
      : DecodedValue<Exclude<T[K], undefined>> | null
    : DecodedValue<T[K]>;
};

/**
 * What a client writes: `Required` fields, the others may be left out (proto-loader fills the
 * defaults), and enums may be numbers.
 */
export type Sent<T, Required extends keyof T = never> = Pick<Decoded<T>, Required> &
  Partial<Omit<Decoded<T>, Required>>;

/** `T` with the fields `Set` always set: the server's guarantees beyond the .proto. */
export type Present<T, Set extends keyof T> = Omit<T, Set> & { [K in Set]-?: NonNullable<T[K]> };

/** `T` where a field that may be absent may also be null: read code that takes written objects. */
export type NullableUnset<T> = { [K in keyof T]: T[K] | (undefined extends T[K] ? null : never) };
