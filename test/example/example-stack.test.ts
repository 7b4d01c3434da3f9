import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DomainPackageAssociation } from '../../lib';
import { PROVIDER_ID } from '../../lib/association-provider';
import { awsSolutionsReport, countOf, exampleStack, nagSuppressionsUnder, providerOf, SCOPED_ACKNOWLEDGE, Validations } from '../construct/fixtures';

const REPO_ROOT = path.join(__dirname, '..', '..');
/** The provider's construct path below the stack, and the prefix of its children's logical ids. */
const PROVIDER = PROVIDER_ID;
const PROVIDER_LOGICAL_ID = 'cdkopensearchpackagesAssociationProvider';

describe('example stack', () => {
  test('template snapshot (asset hashes masked)', () => {
    expect(Template.fromStack(exampleStack()).toJSON()).toMatchSnapshot();
  });

  test('the template holds no absolute path or timestamp', () => {
    const json = JSON.stringify(Template.fromStack(exampleStack()).toJSON());
    expect(json).not.toContain(REPO_ROOT);
    expect(json).not.toContain(os.tmpdir());
    expect(json).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  test('the snapshotted stack is the one bin/example-app.ts synthesizes', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-app-'));
    try {
      execFileSync(process.execPath, [require.resolve('tsx/cli'), 'bin/example-app.ts'], {
        cwd: REPO_ROOT, env: { ...process.env, CDK_OUTDIR: outdir }, stdio: 'pipe',
      });
      const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, 'OpenSearchPackagesExample.template.json'), 'utf8'));
      expect(synthesized).toEqual(Template.fromStack(exampleStack()).toJSON());
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('five Lambda functions and one state machine, however many associations', () => {
    const counts = (stack: Stack) => [
      countOf(stack, 'AWS::Lambda::Function'),
      countOf(stack, 'AWS::StepFunctions::StateMachine'),
      countOf(stack, 'Custom::OpenSearchPackageAssociation'),
      countOf(stack, 'Custom::OpenSearchDomainPackages'),
    ];
    const grown = exampleStack();
    const domain = grown.node.findChild('Domain') as opensearch.IDomain;
    for (let i = 1; i <= 10; i++) {
      new DomainPackageAssociation(grown, `Extra${i}`, { domain, packageId: `F${900 + i}` });
    }

    // the dictionary of the repository and an existing dictionary; every plugin (the custom plugin, its license, the AWS plugin) as one set
    expect(counts(exampleStack())).toEqual([5, 1, 2, 1]);
    expect(counts(grown)).toEqual([5, 1, 12, 1]);
  });
});

describe('cdk-nag AwsSolutions on the example stack', () => {
  test('passes: synthesis succeeds with no open finding', () => {
    const report = awsSolutionsReport(exampleStack());
    expect(report.open).toEqual([]);
    expect(report.synthFailed).toBe(false);
  });

  test('acknowledges only the provider framework findings, each on the construct that raises it, with a reason', () => {
    const stack = exampleStack();
    const { acknowledged } = awsSolutionsReport(stack);
    const invokeVersions = (fn: string) => `AwsSolutions-IAM5[Resource::<${PROVIDER_LOGICAL_ID}${fn}.Arn>:*]`;

    expect(acknowledged.map(({ rule, path: at }) => `${at}: ${rule}`).sort()).toEqual([
      `${PROVIDER}/FrameworkCompleteRole/DefaultPolicy/Resource: ${invokeVersions('IsCompleteHandlerBDA769B9')}`,
      `${PROVIDER}/FrameworkCompleteRole/DefaultPolicy/Resource: ${invokeVersions('OnEventHandlerD79C8AB9')}`,
      `${PROVIDER}/FrameworkOnEventRole/DefaultPolicy/Resource: ${invokeVersions('IsCompleteHandlerBDA769B9')}`,
      `${PROVIDER}/FrameworkOnEventRole/DefaultPolicy/Resource: ${invokeVersions('OnEventHandlerD79C8AB9')}`,
      // The package actions take no resource; the asset bucket is read for an update rollback's previous object.
      `${PROVIDER}/Packages/Resource/Resource: AwsSolutions-IAM5[Resource::*]`,
      `${PROVIDER}/Packages/Resource/Resource: AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]`,
      `${PROVIDER}/Provider/waiter-state-machine/Resource: AwsSolutions-SF2`,
      `${PROVIDER}/Provider/waiter-state-machine/Role/DefaultPolicy/Resource: AwsSolutions-IAM5[Resource::*]`,
      `${PROVIDER}/Provider/waiter-state-machine/Role/DefaultPolicy/Resource: ${invokeVersions('frameworkisCompleteB24908C2')}`,
      `${PROVIDER}/Provider/waiter-state-machine/Role/DefaultPolicy/Resource: ${invokeVersions('frameworkonTimeout17E3B183')}`,
    ].sort());
    for (const { path: at, acknowledgedAt, reason } of acknowledged) {
      // On the resource itself, its policy, or the role whose policy it is: never on the provider or the stack.
      expect([acknowledgedAt, `${acknowledgedAt}/Resource`, `${acknowledgedAt}/DefaultPolicy/Resource`]).toContain(at);
      expect(reason.length).toBeGreaterThan(30);
    }
    // No acknowledgement is left over: each one suppresses a finding.
    if (SCOPED_ACKNOWLEDGE) {
      // Validations acknowledgements (aws-cdk-lib 2.271.0+), each where it was made.
      const used = new Set(acknowledged.map(({ rule, acknowledgedAt }) => `${acknowledgedAt} ${rule}`));
      const made = stack.node.findAll().flatMap((c) => c.node.metadata
        .filter((m) => m.type === Validations!.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.keys(m.data).map((id) => `${c.node.path.slice(stack.node.path.length + 1)} ${id.replace(/^AwsSolutions::/, '')}`)));
      expect(made.length).toBeGreaterThan(0);
      expect(made.filter((ack) => !used.has(ack))).toEqual([]);
    }
    // The cdk-nag 2.x suppressions (every version): each rule suppresses a finding (cdk-nag 2.x writes a scope's
    // suppression on all its resources, e.g. a role's as well as its default policy's).
    const suppressed = nagSuppressionsUnder(providerOf(stack));
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.filter((rule) => !acknowledged.some((finding) => finding.rule === rule))).toEqual([]);
  });

  test('a wildcard grant added to the handler role is not covered by any acknowledgement', () => {
    const stack = exampleStack();
    const handlerRole = providerOf(stack).node.findChild('HandlerRole') as iam.Role;
    handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['es:*'], resources: ['*'] }));
    const report = awsSolutionsReport(stack);

    expect(report.synthFailed).toBe(true);
    expect(report.open).toEqual([
      { rule: 'AwsSolutions-IAM5[Action::es:*]', path: `${PROVIDER}/HandlerRole/DefaultPolicy/Resource` },
      { rule: 'AwsSolutions-IAM5[Resource::*]', path: `${PROVIDER}/HandlerRole/DefaultPolicy/Resource` },
    ]);
  });

  test('an acknowledged finding raised by another construct still fails', () => {
    const stack = exampleStack();
    const onEventHandler = providerOf(stack).node.findChild('OnEventHandler') as lambda.IFunction;
    const invoker = new iam.Role(stack, 'Invoker', { assumedBy: new iam.AccountRootPrincipal() });
    onEventHandler.grantInvoke(invoker);
    const report = awsSolutionsReport(stack);

    expect(report.open).toEqual([
      { rule: `AwsSolutions-IAM5[Resource::<${PROVIDER_LOGICAL_ID}OnEventHandlerD79C8AB9.Arn>:*]`, path: 'Invoker/DefaultPolicy/Resource' },
    ]);
  });

  test('a function or state machine added next to the provider gets no acknowledgement', () => {
    const stack = exampleStack();
    new lambda.Function(stack, 'Other', {
      // Older than the newest runtime of every aws-cdk-lib of the range (2.195.0 knows nodejs22.x).
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    new sfn.StateMachine(stack, 'OtherMachine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) });
    const rules = awsSolutionsReport(stack).open.map(({ rule, path: at }) => `${at}: ${rule}`);

    expect(rules).toEqual(expect.arrayContaining([
      'Other/Resource: AwsSolutions-L1',
      'Other/ServiceRole/Resource: AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'OtherMachine/Resource: AwsSolutions-SF1',
      'OtherMachine/Resource: AwsSolutions-SF2',
    ]));
  });
});
