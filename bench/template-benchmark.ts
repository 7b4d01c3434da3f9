/**
 * Template size and the Lambda functions and state machines a stack carries,
 * as the number of associations grows.
 */
import * as fs from 'fs';
import { resourcesOfType, synthesize, Synthesized, Variant, VARIANTS } from './synthesize';

export const TEMPLATE_SIZES = [1, 10, 100] as const;
/** Target: each extra association adds less than this many template bytes. */
export const BYTES_PER_ASSOCIATION_LIMIT = 1024;

export interface TemplateRow {
  readonly associations: number;
  /** Size of the template file in the cloud assembly, as `cdk deploy` uploads it. */
  readonly bytes: number;
  readonly lambdaFunctions: number;
  readonly stateMachines: number;
  readonly resources: number;
}

export interface VariantTemplates {
  readonly rows: TemplateRow[];
  /** (bytes at the largest size - bytes at 1) / (largest size - 1) */
  readonly bytesPerExtraAssociation: number;
  readonly constantFunctionCount: boolean;
}

export type TemplateResults = Record<Variant, VariantTemplates>;

export interface TemplateBenchmark {
  readonly results: TemplateResults;
  /** The 1-association assemblies, whose assets the handler benchmark loads. */
  readonly smallest: Record<Variant, Synthesized>;
}

export function runTemplateBenchmark(): TemplateBenchmark {
  const results = {} as Record<Variant, VariantTemplates>;
  const smallest = {} as Record<Variant, Synthesized>;
  for (const variant of VARIANTS) {
    const rows: TemplateRow[] = [];
    for (const associations of TEMPLATE_SIZES) {
      const synthesized = synthesize(variant, associations);
      if (associations === TEMPLATE_SIZES[0]) {
        smallest[variant] = synthesized;
      }
      rows.push(measureTemplate(synthesized));
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    results[variant] = {
      rows,
      bytesPerExtraAssociation: Math.round((last.bytes - first.bytes) / (last.associations - first.associations)),
      constantFunctionCount: rows.every((row) => row.lambdaFunctions === first.lambdaFunctions),
    };
  }
  return { results, smallest };
}

function measureTemplate(synthesized: Synthesized): TemplateRow {
  const { template } = synthesized;
  return {
    associations: synthesized.associations,
    bytes: fs.statSync(synthesized.templatePath).size,
    lambdaFunctions: resourcesOfType(template, 'AWS::Lambda::Function').length,
    stateMachines: resourcesOfType(template, 'AWS::StepFunctions::StateMachine').length,
    resources: Object.keys(template.Resources).length,
  };
}
