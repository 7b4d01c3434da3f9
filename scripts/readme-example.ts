/**
 * The README's usage example, as an adopter pastes it: the first TypeScript block under `## Usage`, its imports
 * on top and its statements in a stack's constructor. `scripts/check-cdk-range.sh` writes it into a fresh
 * `cdk init` app (`tsx scripts/readme-example.ts <stack file> <stack class>`), so it can never drift from the README.
 */
import * as fs from 'fs';
import * as path from 'path';

const README = path.join(__dirname, '..', 'README.md');

/** The fenced code blocks of one language below a `## heading`, up to the next `## ` heading. */
export function readmeBlocks(language: string, heading: string, readme = fs.readFileSync(README, 'utf8')): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no '${heading}' section`);
  const next = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]);
}

/** A stack module whose constructor runs the README's TypeScript usage example. */
export function usageStack(className: string, readme?: string): string {
  const [example] = readmeBlocks('ts', '## Usage', readme);
  if (!example) throw new Error('README has no TypeScript block under ## Usage');
  const lines = example.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const body = lines.filter((line) => !line.startsWith('import ')).map((line) => (line ? `    ${line}` : line));
  return [
    "import { Stack, StackProps } from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    ...imports,
    '',
    '// Generated from README.md (## Usage) by scripts/readme-example.ts.',
    `export class ${className} extends Stack {`,
    '  constructor(scope: Construct, id: string, props?: StackProps) {',
    '    super(scope, id, props);',
    ...body,
    '  }',
    '}',
    '',
  ].join('\n');
}

if (require.main === module) {
  const [file, className] = process.argv.slice(2);
  if (!file || !className) throw new Error('usage: tsx scripts/readme-example.ts <stack file> <stack class>');
  fs.writeFileSync(file, usageStack(className));
}
