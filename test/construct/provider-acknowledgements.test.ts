import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';
import { CDK_NAG_MAJOR, itIfScopedAcknowledge, nagSuppressionsUnder, newStack, SCOPED_ACKNOWLEDGE, Validations } from './fixtures';
import { acknowledgeFrameworkFindings, SCOPED_ACKNOWLEDGE_SINCE, supportsScopedAcknowledge } from '../../lib/provider-acknowledgements';

/**
 * The rule ids acknowledged for `scope`: where the library acknowledges with `Validations` (aws-cdk-lib 2.271.0+),
 * those on `scope` itself (not on its children); below that, the cdk-nag 2.x suppressions on its resources.
 */
function acknowledgedOn(scope: IConstruct | undefined): string[] {
  if (!scope) return [];
  if (!SCOPED_ACKNOWLEDGE) {
    return nagSuppressionsUnder(scope).map((rule) => `AwsSolutions::${rule}`);
  }
  return scope.node.metadata
    .filter((entry) => entry.type === Validations!.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data));
}

/** The acknowledged scopes of a provider like the library's: the framework roles, the waiter's role and state machine. */
function acknowledgedScopes(provider: cr.Provider, roles: IConstruct[]): IConstruct[] {
  const waiter = waiterOf(provider)!;
  return [...roles, waiter.node.findChild('Role'), waiter.node.findChild('Resource')];
}

/** A provider framework like the library's, with roles of its own for its framework functions. */
function frameworkProvider(stack: Stack, { isComplete = true } = {}) {
  const code = lambda.Code.fromInline('exports.handler = async () => ({});');
  const userFunction = (id: string) => new lambda.Function(stack, id, { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
  const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const roles = isComplete ? [role('OnEventRole'), role('CompleteRole')] : [role('OnEventRole')];
  const provider = new cr.Provider(stack, 'Provider', {
    onEventHandler: userFunction('OnEvent'),
    isCompleteHandler: isComplete ? userFunction('IsComplete') : undefined,
    frameworkOnEventRole: roles[0],
    frameworkCompleteAndTimeoutRole: roles[1],
  });
  return { provider, roles };
}

const waiterOf = (provider: cr.Provider) => provider.node.tryFindChild('waiter-state-machine');

describe('versions', () => {
  test('scoped Validations.acknowledge from 2.271.0 (2.270.0 applies it app-wide, 2.268.0 rejects :: ids, 2.220.0 has none)', () => {
    expect(SCOPED_ACKNOWLEDGE_SINCE).toBe('2.271.0');
    expect(['2.220.0', '2.251.0', '2.268.0', '2.270.0', '2.270.9'].filter((v) => supportsScopedAcknowledge(v))).toEqual([]);
    expect(['2.271.0', '2.271.1', '2.276.0', '2.300.0', '3.0.0', '0.0.0'].every((v) => supportsScopedAcknowledge(v))).toBe(true);
  });

  test('the lock file\'s aws-cdk-lib and cdk-nag run every gated test (no skip on the newest versions)', () => {
    const pinned = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).devDependencies;
    const installed = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
    if (installed('aws-cdk-lib') === pinned['aws-cdk-lib']) {
      expect(SCOPED_ACKNOWLEDGE).toBe(true);
      expect(Validations).toBeDefined();
      // jest.config.js loads aws-cdk-lib's jest-autoclean wherever it exists.
      expect(require('../../jest.config.js').setupFilesAfterEnv).toEqual([require.resolve('aws-cdk-lib/testhelpers/jest-autoclean')]);
    }
    if (installed('cdk-nag') === pinned['cdk-nag']) {
      expect(CDK_NAG_MAJOR).toBe(3);
    }
  });
});

describe('acknowledgeFrameworkFindings', () => {
  test('control: with every child present, the waiter\'s role and state machine are acknowledged', () => {
    const { provider, roles } = frameworkProvider(newStack());
    acknowledgeFrameworkFindings(provider, roles);

    const waiter = waiterOf(provider)!;
    expect(acknowledgedOn(waiter.node.findChild('Role'))).toContain('AwsSolutions::AwsSolutions-IAM5[Resource::*]');
    expect(acknowledgedOn(waiter.node.findChild('Resource'))).toEqual(['AwsSolutions::AwsSolutions-SF2']);
  });

  test('an absent waiter (a renamed child) is skipped: no error, and the framework roles are still acknowledged', () => {
    const { provider, roles } = frameworkProvider(newStack());
    expect(provider.node.tryRemoveChild('waiter-state-machine')).toBe(true);

    expect(() => acknowledgeFrameworkFindings(provider, roles)).not.toThrow();
    for (const role of roles) {
      // One invoke-versions finding per user function.
      expect(acknowledgedOn(role)).toHaveLength(2);
    }
  });

  test.each(['Role', 'Resource'])('an absent waiter child %p is skipped, the other one is still acknowledged', (absent) => {
    const { provider, roles } = frameworkProvider(newStack());
    const waiter = waiterOf(provider)!;
    const present = waiter.node.findChild(absent === 'Role' ? 'Resource' : 'Role');
    expect(waiter.node.tryRemoveChild(absent)).toBe(true);

    expect(() => acknowledgeFrameworkFindings(provider, roles)).not.toThrow();
    expect(acknowledgedOn(present).length).toBeGreaterThan(0);
  });

  test('an absent framework function is skipped in the waiter role\'s acknowledgements', () => {
    /** The rules acknowledged on the waiter's role once the framework function `absent` (if any) is gone. */
    const waiterRoleRules = (absent?: string) => {
      const { provider, roles } = frameworkProvider(newStack());
      if (absent) {
        expect(provider.node.tryRemoveChild(absent)).toBe(true);
      }
      acknowledgeFrameworkFindings(provider, roles);
      return acknowledgedOn(waiterOf(provider)!.node.findChild('Role'));
    };
    const all = waiterRoleRules();

    expect(() => waiterRoleRules('framework-onTimeout')).not.toThrow();
    expect(waiterRoleRules('framework-onTimeout')).toEqual(all.filter((rule) => !rule.includes('frameworkonTimeout')));
    expect(all.filter((rule) => rule.includes('frameworkonTimeout'))).toHaveLength(1);
  });

  itIfScopedAcknowledge('the cdk-nag 2.x suppressions on each scope\'s resources are its Validations acknowledgements', () => {
    const { provider, roles } = frameworkProvider(newStack());
    acknowledgeFrameworkFindings(provider, roles);

    for (const scope of acknowledgedScopes(provider, roles)) {
      const acknowledged = acknowledgedOn(scope);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(nagSuppressionsUnder(scope).map((rule) => `AwsSolutions::${rule}`).sort()).toEqual([...acknowledged].sort());
    }
  });

  test('cdk-nag 2.x suppressions: the finding in applies_to, the same reason, on every resource of the scope, each once', () => {
    const { provider, roles } = frameworkProvider(newStack());
    acknowledgeFrameworkFindings(provider, roles);
    acknowledgeFrameworkFindings(provider, roles);

    const role = waiterOf(provider)!.node.findChild('Role');
    const resources = role.node.findAll().filter((c) => c.node.id === 'Resource');
    expect(resources.map((c) => c.node.path.split('/').slice(-2).join('/')).sort()).toEqual(['DefaultPolicy/Resource', 'Role/Resource']);
    for (const resource of resources) {
      const rules = (resource as unknown as { getMetadata(key: string): any }).getMetadata('cdk_nag').rules_to_suppress;
      expect(rules).toHaveLength(3);
      expect(rules).toContainEqual({
        id: 'AwsSolutions-IAM5',
        applies_to: ['Resource::*'],
        reason: expect.stringMatching(/^Step Functions log delivery/),
      });
      for (const rule of rules) {
        expect(rule.id).not.toMatch(/\[/);
        expect(rule.reason.length).toBeGreaterThanOrEqual(10);
      }
    }
  });

  test('a provider without an isComplete handler (hence no waiter) is acknowledged without error', () => {
    const { provider, roles } = frameworkProvider(newStack(), { isComplete: false });
    expect(waiterOf(provider)).toBeUndefined();

    expect(() => acknowledgeFrameworkFindings(provider, roles)).not.toThrow();
    expect(acknowledgedOn(roles[0])).toHaveLength(1);
  });
});
