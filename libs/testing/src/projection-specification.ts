import { deepStrictEqual } from 'node:assert/strict';

/** A read model's one writer: `evolve(row | null, event) -> row`. */
export type ProjectionEvolve<Row, Event> = (row: Row | null, event: Event) => Row | null;

export interface ProjectionThen<Row> {
  then(expected: Row | null): void;
}

/**
 * Reads a projection test as given(events).then(row): the row is folded from nothing with the
 * projection's `evolve`, exactly as a rebuild from the topic would fold it.
 */
export function projectionSpecification<Row, Event>(
  evolve: ProjectionEvolve<Row, Event>,
): (given: Event[]) => ProjectionThen<Row> {
  return (given) => ({
    then: (expected) =>
      deepStrictEqual(
        given.reduce<Row | null>((row, event) => evolve(row, event), null),
        expected,
      ),
  });
}
