/**
 * The README's quick start, as an adopter pastes it: the first TypeScript block under `## Quick start`, its imports
 * on top and its statements in a stack's constructor, and the dictionary file it reads (the section's first `text`
 * block, at the path its `PackageSource.fromAsset` names). `scripts/check-cdk-range.sh` writes both into a fresh
 * `cdk init` app (`tsx scripts/readme-example.ts <stack file> <stack class> [app dir]`), and
 * test/docs/code-blocks.test.ts synthesizes them, so they can never drift from the README.
 */
import * as fs from 'fs';
import * as path from 'path';

const README = path.join(__dirname, '..', 'README.md');
export const QUICK_START = '## Quick start';

/** The fenced code blocks of one language below a `## heading`, up to the next `## ` heading. */
export function readmeBlocks(language: string, heading: string, readme = fs.readFileSync(README, 'utf8')): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no '${heading}' section`);
  const next = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]);
}

/** A stack module whose constructor runs the README's TypeScript quick start. */
export function usageStack(className: string, readme?: string): string {
  const [example] = readmeBlocks('ts', QUICK_START, readme);
  if (!example) throw new Error(`README has no TypeScript block under ${QUICK_START}`);
  const lines = example.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const body = lines.filter((line) => !line.startsWith('import ')).map((line) => (line ? `    ${line}` : line));
  return [
    "import { Stack, StackProps } from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    ...imports,
    '',
    `// Generated from README.md (${QUICK_START}) by scripts/readme-example.ts.`,
    `export class ${className} extends Stack {`,
    '  constructor(scope: Construct, id: string, props?: StackProps) {',
    '    super(scope, id, props);',
    ...body,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The files the quick start reads, relative to the app's folder: its dictionary, from the section's `text` block. */
export function quickStartFiles(readme?: string): Record<string, string> {
  const [example] = readmeBlocks('ts', QUICK_START, readme);
  const [content] = readmeBlocks('text', QUICK_START, readme);
  const asset = example?.match(/PackageSource\.fromAsset\('([^']+)'\)/)?.[1];
  if (!asset || content === undefined) throw new Error(`README's ${QUICK_START} has no fromAsset path or no text block with its content`);
  return { [asset]: content };
}

if (require.main === module) {
  const [file, className, appDir = path.dirname(path.dirname(file ?? '.'))] = process.argv.slice(2);
  if (!file || !className) throw new Error('usage: tsx scripts/readme-example.ts <stack file> <stack class> [app dir]');
  fs.writeFileSync(file, usageStack(className));
  for (const [name, content] of Object.entries(quickStartFiles())) {
    fs.mkdirSync(path.dirname(path.join(appDir, name)), { recursive: true });
    fs.writeFileSync(path.join(appDir, name), content);
  }
}
