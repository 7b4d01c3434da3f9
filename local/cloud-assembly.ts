/**
 * Reads a synthesized cloud assembly (`cdk.out`): its stacks' templates, in manifest order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPlayedType } from './stack-template';

export interface AssemblyStack {
  readonly name: string;
  /** The assembly directory: asset paths in the template's metadata are relative to it. */
  readonly assemblyDir: string;
  readonly template: Record<string, unknown>;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
}

/** Every CloudFormation stack of the assembly. */
export function readCloudAssembly(dir: string): AssemblyStack[] {
  const assemblyDir = path.resolve(dir);
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${dir} is not a cloud assembly: no manifest.json (synthesize one with 'npx cdk synth -o ${dir}')`);
  }
  const manifest = readJson(manifestFile) as { artifacts?: Record<string, ManifestArtifact> };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
    .map(([id, artifact]) => ({
      name: artifact.properties?.stackName ?? artifact.displayName ?? id,
      assemblyDir,
      template: readJson(path.join(assemblyDir, artifact.properties!.templateFile!)) as Record<string, unknown>,
    }));
}

/** The stacks that hold at least one `Custom::OpenSearch…` resource (association, package, lookup): the ones worth playing. */
export function playedStacks(stacks: AssemblyStack[]): AssemblyStack[] {
  return stacks.filter((stack) => Object.values((stack.template.Resources ?? {}) as Record<string, { Type?: string }>)
    .some((resource) => isPlayedType(String(resource.Type))));
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
