/** The error `action` throws, checked to be a `type`; fails the test when it throws nothing or something else. */
export function thrownBy<E>(action: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    action();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}

/** The error `promise` rejects with, checked to be a `type`; fails the test when it resolves or rejects otherwise. */
export async function rejectedWith<E>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}
