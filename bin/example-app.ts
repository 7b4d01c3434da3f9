#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ExampleStack } from './example-stack';

/**
 * The example app `cdk.json` runs. Context values name your own domain and
 * packages: `npx cdk synth -c domainName=my-domain -c dictionaryId=F123...`.
 */
const app = new App();
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;

new ExampleStack(app, 'OpenSearchPackagesExample', {
  domainName: context('domainName', 'search-example'),
  packages: {
    dictionaryId: context('dictionaryId', 'F111111111'),
    pluginId: context('pluginId', 'pkg-0a1b2c3d4e5f6a7b8'),
    licenseId: context('licenseId', 'pkg-1b2c3d4e5f6a7b8c9'),
  },
});
