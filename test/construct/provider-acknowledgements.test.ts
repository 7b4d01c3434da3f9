import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';
import { acknowledgeFrameworkFindings } from '../../lib/provider-acknowledgements';
import { newStack } from './fixtures';

/** The rule ids acknowledged on `scope` itself (not on its children). */
function acknowledgedOn(scope: IConstruct | undefined): string[] {
  return (scope?.node.metadata ?? [])
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data));
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

  test('a provider without an isComplete handler (hence no waiter) is acknowledged without error', () => {
    const { provider, roles } = frameworkProvider(newStack(), { isComplete: false });
    expect(waiterOf(provider)).toBeUndefined();

    expect(() => acknowledgeFrameworkFindings(provider, roles)).not.toThrow();
    expect(acknowledgedOn(roles[0])).toHaveLength(1);
  });
});
