import { deepStrictEqual, throws } from 'node:assert/strict';

export interface Decider<Command, Event, State> {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: State;
}

export interface DeciderThen<Event> {
  then(expected: Event[]): void;
  thenNothingHappens(): void;
  thenThrows(check: (error: unknown) => boolean): void;
}

/**
 * Reads a decider test as given(past facts).when(command).then(new facts): the state is
 * rebuilt from the given events with `evolve`, exactly as a repository would.
 */
export function deciderSpecification<Command, Event, State>(
  decider: Decider<Command, Event, State>,
): (given: Event[]) => { when(command: Command): DeciderThen<Event> } {
  return (given) => ({
    when(command) {
      const run = (): Event[] =>
        decider.decide(command, given.reduce(decider.evolve, decider.initialState));
      return {
        then: (expected) => deepStrictEqual(run(), expected),
        thenNothingHappens: () => deepStrictEqual(run(), []),
        thenThrows: (check) => throws(run, (error: unknown) => check(error)),
      };
    },
  });
}
