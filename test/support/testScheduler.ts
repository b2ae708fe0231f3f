import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';

/** A marble TestScheduler that compares frames and subscription logs with vitest's deep equality. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}
