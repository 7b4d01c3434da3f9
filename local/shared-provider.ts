/**
 * Where the provider of a stack's played resources is: in the stack's own template, or, for a stack
 * that uses the provider of another stack (`PackagesProvider.useProviderOf`), in the template of the
 * stack of the same assembly that exports their ServiceToken (`Fn::ImportValue`).
 */
import type { AssemblyStack } from './cloud-assembly';
import { isPlayedType } from './stack-template';

export interface ProviderLocation {
  /** The template that holds the provider's functions and waiter. */
  readonly template: Record<string, unknown>;
  /** The played resources' ServiceToken, as that template writes it (`Fn::GetAtt` of the framework's onEvent). */
  readonly serviceToken: unknown;
}

type Template = {
  Resources?: Record<string, { Type?: string; Properties?: Record<string, any> }>;
  Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
};

export function providerLocation(stack: AssemblyStack, assembly: readonly AssemblyStack[]): ProviderLocation {
  const played = Object.values((stack.template as Template).Resources ?? {}).find((resource) => isPlayedType(String(resource.Type)));
  const serviceToken = played?.Properties?.ServiceToken;
  const exportName = (serviceToken as { 'Fn::ImportValue'?: unknown } | undefined)?.['Fn::ImportValue'];
  if (typeof exportName !== 'string') {
    return { template: stack.template, serviceToken };
  }
  for (const other of assembly.filter((candidate) => candidate.assemblyDir === stack.assemblyDir)) {
    const output = Object.values((other.template as Template).Outputs ?? {}).find((candidate) => candidate.Export?.Name === exportName);
    if (output) {
      return { template: other.template, serviceToken: output.Value };
    }
  }
  throw new Error(`cannot find the package handler of stack ${stack.name}: its ServiceToken imports ${exportName}, which no stack of the assembly exports`);
}
