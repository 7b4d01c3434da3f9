#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { EXAMPLE_DEFAULTS, ExampleStack } from './example-stack';

/**
 * The example app `cdk.json` runs. Context values name your own domain and
 * packages: `npx cdk synth -c domainName=my-domain -c dictionaryId=F123...`;
 * `synonymsConstructId` renames the existing dictionary's construct, and
 * `synonymsFile` uploads another synonym file (a path from the working
 * directory), a new version of the package (both update demos).
 */
const app = new App();
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;

new ExampleStack(app, 'OpenSearchPackagesExample', {
  domainName: context('domainName', EXAMPLE_DEFAULTS.domainName),
  packages: {
    dictionaryId: context('dictionaryId', EXAMPLE_DEFAULTS.packages.dictionaryId),
    pluginId: context('pluginId', EXAMPLE_DEFAULTS.packages.pluginId),
    licenseId: context('licenseId', EXAMPLE_DEFAULTS.packages.licenseId),
  },
  synonymsConstructId: app.node.tryGetContext('synonymsConstructId'),
  synonymsFile: app.node.tryGetContext('synonymsFile'),
});
