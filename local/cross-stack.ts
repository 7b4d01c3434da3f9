/**
 * References between the stacks of a run, as aws-cdk-lib 2.276 writes them and CloudFormation
 * keeps them: a strong reference is an output exported by one stack (`Outputs.X.Export.Name`) and
 * read with `Fn::ImportValue` by another; a weak one reads an output with `Fn::GetStackOutput`.
 * CloudFormation refuses to change or remove an export another stack imports: the exporting
 * stack's update rolls back ("Export … cannot be updated as it is in use by …"), its deletion fails.
 */
import type { StackOutputs } from './intrinsics';

/** A deployed stack's outputs, resolved against what it deployed. */
export interface StackOutputValues {
  readonly stackName: string;
  /** Output name → value. */
  readonly values: ReadonlyMap<string, string>;
  /** Export name → value. */
  readonly exports: ReadonlyMap<string, string>;
  /** Names of the exports the stack's deployed template imports. */
  readonly imports: ReadonlySet<string>;
}

/** What a player needs to know of the run's other stacks. */
export interface CrossStackReferences extends StackOutputs {
  /** The other stacks whose deployed template imports `exportName` (never `stackName` itself). */
  importersOf(exportName: string, stackName: string): string[];
}

/** The run's stacks, read at each call: those that exist, with what each has deployed so far. */
export function crossStackReferences(stacks: () => Iterable<StackOutputValues | undefined>): CrossStackReferences {
  const existing = () => [...stacks()].filter((stack): stack is StackOutputValues => stack !== undefined);
  return {
    importValue(exportName) {
      for (const stack of existing()) {
        const value = stack.exports.get(exportName);
        if (value !== undefined) {
          return value;
        }
      }
      // CloudFormation's wording.
      throw new Error(`No export named ${exportName} found`);
    },
    stackOutput(stackName, outputName) {
      const stack = existing().find((candidate) => candidate.stackName === stackName);
      const value = stack?.values.get(outputName);
      if (value === undefined) {
        throw new Error(stack ? `Stack ${stackName} has no output ${outputName}` : `Stack with id ${stackName} does not exist`);
      }
      return value;
    },
    importersOf(exportName, stackName) {
      return existing().filter((stack) => stack.stackName !== stackName && stack.imports.has(exportName)).map((stack) => stack.stackName);
    },
  };
}

/**
 * Why CloudFormation refuses to go from exports `before` to `after` while other stacks import
 * some of them; undefined when nothing in use changes. `after` empty: the stack is deleted.
 */
export function exportConflict(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  importersOf: (exportName: string) => string[],
): string | undefined {
  for (const [exportName, value] of before) {
    const importers = importersOf(exportName);
    const now = after.get(exportName);
    if (importers.length > 0 && now !== value) {
      return `Export ${exportName} cannot be ${now === undefined ? 'deleted' : 'updated'} as it is in use by ${importers.join(', ')}`;
    }
  }
  return undefined;
}

/** The export names `value` imports (`Fn::ImportValue`), each argument resolved with `resolve`. */
export function importedNames(value: unknown, resolve: (argument: unknown) => unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => importedNames(item, resolve));
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  const record = value as Record<string, unknown>;
  if ('Fn::ImportValue' in record) {
    return [String(resolve(record['Fn::ImportValue']))];
  }
  return Object.values(record).flatMap((item) => importedNames(item, resolve));
}
