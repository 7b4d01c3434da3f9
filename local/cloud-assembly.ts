/**
 * Reads a synthesized cloud assembly (`cdk.out`): its stacks' templates, in manifest order, and
 * the dependencies between them (a stack that imports another's output depends on it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnvironment, StackEnvironment } from './stack-environment';
import { isPlayedType } from './stack-template';

export interface AssemblyStack {
  readonly name: string;
  /** The assembly directory: asset paths in the template's metadata are relative to it. */
  readonly assemblyDir: string;
  readonly template: Record<string, unknown>;
  /** Names of the assembly's stacks this one must be deployed after (and deleted before). */
  readonly dependsOn: readonly string[];
  /** The account and region it deploys to (the default ones for an environment-agnostic stack). */
  readonly environment: StackEnvironment;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly displayName?: string;
  /** `aws://<account>/<region>`, `unknown-account` / `unknown-region` where the stack names none. */
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
  /** Artifact ids: other stacks, and the stack's own asset manifest. */
  readonly dependencies?: string[];
}

const STACK_ARTIFACT = 'aws:cloudformation:stack';

/** Every CloudFormation stack of the assembly. */
export function readCloudAssembly(dir: string): AssemblyStack[] {
  const assemblyDir = path.resolve(dir);
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${dir} is not a cloud assembly: no manifest.json (synthesize one with 'npx cdk synth -o ${dir}')`);
  }
  const manifest = readJson(manifestFile) as { artifacts?: Record<string, ManifestArtifact> };
  const stacks = Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === STACK_ARTIFACT && artifact.properties?.templateFile);
  const nameOf = new Map(stacks.map(([id, artifact]) => [id, artifact.properties?.stackName ?? artifact.displayName ?? id]));
  return stacks.map(([id, artifact]) => ({
    name: nameOf.get(id)!,
    assemblyDir,
    template: readJson(path.join(assemblyDir, artifact.properties!.templateFile!)) as Record<string, unknown>,
    dependsOn: (artifact.dependencies ?? []).flatMap((dependency) => nameOf.get(dependency) ?? []),
    environment: parseEnvironment(artifact.environment),
  }));
}

/**
 * The stacks worth playing: those that hold a `Custom::OpenSearch…` resource (association,
 * package, lookup), and the stacks they depend on, whose outputs they may import (e.g. a domain's
 * name). Manifest order, which CDK writes with dependencies first.
 */
export function playedStacks(stacks: AssemblyStack[]): AssemblyStack[] {
  const wanted = new Set<string>();
  const want = (stack: AssemblyStack | undefined): void => {
    if (stack && !wanted.has(stack.name)) {
      wanted.add(stack.name);
      stack.dependsOn.forEach((name) => want(stacks.find((candidate) => candidate.name === name)));
    }
  };
  stacks.filter(hasPlayedResource).forEach(want);
  return stacks.filter((stack) => wanted.has(stack.name));
}

/** Whether the stack holds a resource the handlers play (it then has the provider too). */
export function hasPlayedResource(stack: AssemblyStack): boolean {
  return Object.values((stack.template.Resources ?? {}) as Record<string, { Type?: string }>)
    .some((resource) => isPlayedType(String(resource.Type)));
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
