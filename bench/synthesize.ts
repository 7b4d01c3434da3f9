/**
 * Synthesizes a benchmark stack into a scratch cloud assembly and reads back
 * what `cdk deploy` would upload: the template file and the Lambda assets.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import { alternativeStack } from './alternative-stack';
import { constructStack } from './construct-stack';
import { planAssociations } from './scenario';

export type Variant = 'construct' | 'alternative';
export const VARIANTS: readonly Variant[] = ['construct', 'alternative'];

/** What the benchmark tables call each variant. */
export const VARIANT_LABELS: Record<Variant, string> = {
  construct: 'DomainPackageAssociation (this library)',
  alternative: 'AwsCustomResource per association',
};

/** A stack synthesized into a scratch cloud assembly. */
export interface SynthesizedStack {
  readonly outdir: string;
  readonly templatePath: string;
  readonly template: CfnTemplate;
  /** From `new App()` to the assembly written, in milliseconds. */
  readonly synthMs: number;
}

export interface Synthesized extends SynthesizedStack {
  readonly variant: Variant;
  readonly associations: number;
}

export interface CfnTemplate {
  readonly Resources: Record<string, { Type: string; Properties?: any; DependsOn?: string[] | string }>;
}

const SCRATCH_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-opensearch-packages-bench-'));

export function synthesize(variant: Variant, associations: number): Synthesized {
  const plan = planAssociations(associations);
  const synthesized = synthesizeStack(`${variant}-${associations}`,
    (app) => (variant === 'construct' ? constructStack(app, plan) : alternativeStack(app, plan)));
  return { ...synthesized, variant, associations };
}

/** Synthesizes the stack `build` adds to a new App into a scratch assembly named after `label`. */
export function synthesizeStack(label: string, build: (app: App) => Stack): SynthesizedStack {
  const outdir = fs.mkdtempSync(path.join(SCRATCH_ROOT, `${label}-`));
  const started = performance.now();
  const app = new App({ outdir });
  const stack = build(app);
  const assembly = app.synth();
  const synthMs = performance.now() - started;
  const templatePath = assembly.getStackByName(stack.stackName).templateFullPath;
  return {
    outdir,
    templatePath,
    template: JSON.parse(fs.readFileSync(templatePath, 'utf8')) as CfnTemplate,
    synthMs,
  };
}

/** Removes every scratch assembly of this process. */
export function removeScratch(): void {
  fs.rmSync(SCRATCH_ROOT, { recursive: true, force: true });
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnTemplate['Resources'][string]]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export interface LambdaCode {
  readonly logicalId: string;
  /** e.g. `index.onEvent` */
  readonly handler: string;
  /** The function's asset folder in the cloud assembly. */
  readonly assetDir: string;
  /** The file Lambda loads for `handler`. */
  readonly moduleFile: string;
  readonly exportName: string;
}

/** Where each Lambda function's code lies in the cloud assembly, found through its S3Key (`<asset hash>.zip`). */
export function lambdaCode(synthesized: SynthesizedStack): LambdaCode[] {
  return resourcesOfType(synthesized.template, 'AWS::Lambda::Function').map(([logicalId, resource]) => {
    const key = resource.Properties?.Code?.S3Key;
    const handler = resource.Properties?.Handler;
    if (typeof key !== 'string' || typeof handler !== 'string') {
      throw new Error(`${logicalId}: expected an asset S3Key and a Handler`);
    }
    const assetDir = path.join(synthesized.outdir, `asset.${key.replace(/\.zip$/, '')}`);
    const separator = handler.lastIndexOf('.');
    const moduleFile = ['.js', '.cjs', '.mjs'].map((ext) => path.join(assetDir, handler.slice(0, separator) + ext)).find((f) => fs.existsSync(f));
    if (!moduleFile) {
      throw new Error(`${logicalId}: no module for handler ${handler} in ${assetDir}`);
    }
    return { logicalId, handler, assetDir, moduleFile, exportName: handler.slice(separator + 1) };
  });
}

/** Total size of the files in a folder, what the asset zip holds before compression. */
export function folderBytes(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce(
    (total, entry) => total + (entry.isDirectory() ? folderBytes(path.join(dir, entry.name)) : fs.statSync(path.join(dir, entry.name)).size),
    0,
  );
}
