/** Turns the stored shape `fromVersion` of an event type into shape `fromVersion + 1`. */
export type Upcast = (data: unknown) => unknown;

/**
 * Old shapes stay in the store as they were written; they are upcast on read so handlers only
 * ever see the current shape. New events are stamped with the current schema version.
 */
export interface Upcasters {
  registerUpcaster(type: string, fromVersion: number, upcast: Upcast): Upcasters;
  /** Schema version new events of `type` are written with (1 when no upcaster is registered). */
  currentVersion(type: string): number;
  upcast(type: string, schemaVersion: number, data: unknown): unknown;
}

export function upcasters(): Upcasters {
  const byType = new Map<string, Map<number, Upcast>>();

  const registry: Upcasters = {
    registerUpcaster(type, fromVersion, upcast) {
      if (!Number.isInteger(fromVersion) || fromVersion < 1) {
        throw new RangeError(`Upcaster for ${type}: fromVersion must be an integer >= 1`);
      }
      const steps = byType.get(type) ?? new Map<number, Upcast>();
      if (steps.has(fromVersion)) {
        throw new Error(`Upcaster for ${type} from version ${fromVersion} is already registered`);
      }
      steps.set(fromVersion, upcast);
      byType.set(type, steps);
      return registry;
    },

    currentVersion(type) {
      const steps = byType.get(type);
      return steps === undefined ? 1 : Math.max(...steps.keys()) + 1;
    },

    upcast(type, schemaVersion, data) {
      const target = registry.currentVersion(type);
      let shape = data;
      for (let version = schemaVersion; version < target; version++) {
        const step = byType.get(type)?.get(version);
        if (step === undefined) {
          throw new Error(`No upcaster for ${type} from schema version ${version}`);
        }
        shape = step(shape);
      }
      return shape;
    },
  };
  return registry;
}
