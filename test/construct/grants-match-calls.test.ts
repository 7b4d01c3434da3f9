/**
 * The handler role is granted exactly the service actions the handler calls: each `es:`,
 * `cloudformation:` and `states:` action in the example stack's policies (every resource type of the
 * library, and a long association's waiter) is
 * an SDK command or paginator of the handler's source, and every one of those is granted. A grant
 * without a call, or a call without a grant, fails here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleStack, importedDomain } from './fixtures';
import { DomainPackageAssociation } from '../../lib';

const LAMBDA_DIR = path.join(__dirname, '..', '..', 'lambda');
const SERVICE_PREFIXES: Record<string, string> = {
  '@aws-sdk/client-opensearch': 'es',
  '@aws-sdk/client-cloudformation': 'cloudformation',
  '@aws-sdk/client-sfn': 'states',
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

/**
 * Every `es:`, `cloudformation:` and `states:` action of the template's IAM policies for roles that
 * Lambda assumes (the handler's, the long waiter's step): a workflow's own service calls (the
 * waiter deleting itself) are not the handler's.
 */
function grantedActions(template: Template): string[] {
  const actions = new Set<string>();
  const workflowRoles = Object.keys(template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'states.amazonaws.com' } }] } },
  }));
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => !workflowRoles.some((role) => JSON.stringify((policy as any).Properties.Roles).includes(`"${role}"`)));
  for (const policy of policies) {
    for (const statement of (policy as any).Properties.PolicyDocument.Statement) {
      ([] as string[]).concat(statement.Action).filter((action) => /^(es|cloudformation|states):/.test(action)).forEach((action) => actions.add(action));
    }
  }
  return [...actions].sort();
}

test('the handler role gets exactly the es:, cloudformation: and states: actions the handler calls', () => {
  // The example, with one long association: its waiter's statements (the handler starts it, its step lists its executions).
  const stack = exampleStack();
  new DomainPackageAssociation(stack, 'Long', { domain: importedDomain(stack, 'search-long'), packageId: 'F9', timeout: Duration.hours(3) });
  const granted = grantedActions(Template.fromStack(stack));
  const called = calledActions();

  expect(called).toEqual(expect.arrayContaining(['es:AssociatePackages', 'states:StartExecution', 'states:ListExecutions']));
  expect(granted).toEqual(called);
});
