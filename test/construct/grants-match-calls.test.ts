/**
 * The handler role is granted exactly the service actions the handler calls: each `es:` and
 * `cloudformation:` action in the example stack's policies (every resource type of the library) is
 * an SDK command or paginator of the handler's source, and every one of those is granted. A grant
 * without a call, or a call without a grant, fails here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleStack } from './fixtures';

const LAMBDA_DIR = path.join(__dirname, '..', '..', 'lambda');
const SERVICE_PREFIXES: Record<string, string> = {
  '@aws-sdk/client-opensearch': 'es',
  '@aws-sdk/client-cloudformation': 'cloudformation',
};

/** The IAM actions of the SDK commands and paginators the handler's source imports. */
function calledActions(): string[] {
  const actions = new Set<string>();
  for (const file of sourceFiles(LAMBDA_DIR)) {
    const source = fs.readFileSync(file, 'utf8');
    for (const [, names, module] of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      const prefix = SERVICE_PREFIXES[module];
      if (!prefix) continue;
      for (const name of names.split(',').map((n) => n.trim())) {
        const operation = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        if (operation) actions.add(`${prefix}:${operation}`);
      }
    }
  }
  return [...actions].sort();
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every `es:` and `cloudformation:` action of the template's IAM policies. */
function grantedActions(template: Template): string[] {
  const actions = new Set<string>();
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    for (const statement of (policy as any).Properties.PolicyDocument.Statement) {
      ([] as string[]).concat(statement.Action).filter((action) => /^(es|cloudformation):/.test(action)).forEach((action) => actions.add(action));
    }
  }
  return [...actions].sort();
}

test('the handler role gets exactly the es: and cloudformation: actions the handler calls', () => {
  const granted = grantedActions(Template.fromStack(exampleStack()));
  const called = calledActions();

  expect(called).toContain('es:AssociatePackages');
  expect(granted).toEqual(called);
});
