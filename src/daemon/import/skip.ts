/** Why an import item cannot land: thrown inside its savepoint, reported as `skipped`. */
export class ItemSkipped extends Error {
  override name = "ItemSkipped";
}

export function skip(reason: string): never {
  throw new ItemSkipped(reason);
}
