/**
 * Package ids shaped as the service shapes them (`^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$`): the account's
 * dictionaries get F<digits>, its other packages pkg-<hex>, AWS-owned plugins G<digits>.
 * Deterministic, so that tests and runs can name them in advance.
 */

/** Ids of created packages: the n-th package created gets F<100000000 + n> or pkg-<n in 20 hex digits>. */
export class PackageIdSequence {
  private created = 0;

  /** Skips ids already taken: fixtures may use any id of either form. */
  next(dictionary: boolean, taken: (id: string) => boolean): string {
    let id: string;
    do {
      this.created += 1;
      id = dictionary ? `F${100_000_000 + this.created}` : `pkg-${this.created.toString(16).padStart(20, '0')}`;
    } while (taken(id));
    return id;
  }
}

/**
 * An AWS-owned plugin's id: G and a 32-bit FNV-1a hash of its name and engine version, so that it
 * stays the same whatever else a fixture lists and in whichever order. Like the real ids, it differs
 * per engine version.
 */
export function awsPackageId(name: string, engineVersion: string): string {
  let hash = 0x811c9dc5;
  for (const char of `${name}@${engineVersion}`) {
    hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  }
  return `G${hash}`;
}
