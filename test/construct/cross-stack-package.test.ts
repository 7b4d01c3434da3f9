/**
 * A package of one stack associated in another follows the package's new versions: the
 * association names the package's revision (known at synth), never its version (a cross-stack
 * export that CloudFormation refuses to change while another stack imports it).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { importedDomain, RESOURCE_TYPE, SET_RESOURCE_TYPE } from './fixtures';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage, PackageSource, PackageType } from '../../lib';
import { VERSION_NOT_FOLLOWED_WARNING } from '../../lib/package-revision';

/** Stack Packages with a dictionary from `content`, and stack Search that associates it twice (alone and in a set). */
function twoStacks(content: string, source?: (stack: Stack) => PackageSource) {
  const app = new App();
  const packages = new Stack(app, 'Packages');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'revision-')), 'synonyms.txt');
  fs.writeFileSync(file, content);
  const dictionary = new OpenSearchPackage(packages, 'Synonyms', {
    packageType: PackageType.TXT_DICTIONARY,
    source: source?.(packages) ?? PackageSource.fromAsset(file),
  });
  const search = new Stack(app, 'Search');
  new DomainPackageAssociation(search, 'Alone', { domain: importedDomain(search, 'one'), packageId: dictionary.packageId });
  new DomainPackages(search, 'Set', { domain: importedDomain(search, 'two') }).addPackage(dictionary);
  return { packages, search, dictionary };
}

function revisions(stack: Stack): unknown[] {
  const template = Template.fromStack(stack);
  const alone = Object.values(template.findResources(RESOURCE_TYPE))[0].Properties;
  const set = Object.values(template.findResources(SET_RESOURCE_TYPE))[0].Properties.PackageList[0];
  return [alone.PackageRevision, set.PackageRevision, alone.PackageVersion, set.PackageVersion];
}

describe('a package associated from another stack', () => {
  test('is followed by revision: a literal that changes with the content, and no version export', () => {
    const first = twoStacks('car, automobile\n');
    const [alone, inSet, aloneVersion, setVersion] = revisions(first.search);

    expect(alone).toMatch(/^[0-9a-f]{16}$/);
    expect(inSet).toBe(alone);
    expect([aloneVersion, setVersion]).toEqual([undefined, undefined]);
    expect(JSON.stringify(Template.fromStack(first.packages).toJSON().Outputs)).not.toContain('AvailablePackageVersion');
    expect(revisions(twoStacks('car, automobile\n').search)[0]).toBe(alone);
    expect(revisions(twoStacks('car, automobile, auto\n').search)[0]).not.toBe(alone);
  });

  test('the package\'s own stack still pins the version attribute', () => {
    const { packages, dictionary } = twoStacks('car, automobile\n');
    dictionary.associateWith(importedDomain(packages, 'three'));
    const [resource] = Object.values(Template.fromStack(packages).findResources(RESOURCE_TYPE));

    expect(resource.Properties.PackageVersion).toEqual({ 'Fn::GetAtt': [expect.any(String), 'AvailablePackageVersion'] });
    expect(resource.Properties.PackageRevision).toBeUndefined();
  });

  test('the handler may read packages (DescribePackages) and nothing more, before the associations run', () => {
    const { search } = twoStacks('car, automobile\n');
    const template = Template.fromStack(search);
    const [[policyId, policy]] = Object.entries(template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'es:DescribePackages' })]) } },
    }));

    expect(policy.Properties.PolicyDocument.Statement).toEqual([{ Action: 'es:DescribePackages', Effect: 'Allow', Resource: '*' }]);
    for (const resource of [...Object.values(template.findResources(RESOURCE_TYPE)), ...Object.values(template.findResources(SET_RESOURCE_TYPE))]) {
      expect(resource.DependsOn).toContain(policyId);
    }
  });

  test('a source only known at deploy time: a warning with the way out, and no revision', () => {
    const { search } = twoStacks('unused', (stack) => {
      const bucket = new s3.Bucket(stack, 'Dictionaries');
      return PackageSource.fromBucket(bucket, bucket.bucketName); // a key that is a token
    });

    expect(revisions(search).slice(0, 2)).toEqual([undefined, undefined]);
    const warnings = Annotations.fromStack(search).findWarning('*', Match.stringLikeRegexp('content is only known at deploy time'));
    expect(warnings.map((w) => w.id)).toEqual(['/Search/Alone', '/Search/Set']);
    expect(String(warnings[0].entry.data)).toContain('associate the package in its own stack');
    expect(String(warnings[0].entry.data)).toContain(`[ack: ${VERSION_NOT_FOLLOWED_WARNING}]`);
  });
});
