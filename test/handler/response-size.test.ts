/**
 * Failures whose response fits CloudFormation's 4,096 bytes, whatever the error's text: the whole
 * FAILED response as the provider-framework simulator builds it (the Lambda runtime's error report,
 * the framework's `Logs:` line and trace, cfn-response.js's JSON), with the longest ids an event can
 * carry. CloudFormation (the simulator) refuses a longer one with "Response object is too long.".
 */
import {
  createEvent, DICTIONARY, DOMAIN, Harness, playFailure, properties, silenceAndCloseEachTest, startHarness,
} from './handler-harness';
import type { EmulatedPackage } from '../../emulator/packages-api-emulator';
import type { OnEventRequest } from '../../lambda/events';
import { RESPONSE_LIMIT_BYTES } from '../../lib/set-response-size';
import { CREATE_FAILED_MARKER } from '../../local/provider-framework';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const STACK_NAME = 's'.repeat(128);
const LONGEST_STACK_ID = `arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/${STACK_NAME}/00000000-0000-0000-0000-000000000000`;
const LONGEST_LOGICAL_ID = 'L'.repeat(255);
const TYPE = 'Custom::OpenSearchDomainPackages';

/** The event as CloudFormation sends it for a resource of a stack with a 128-character name. */
function longest(event: OnEventRequest): OnEventRequest {
  return { ...event, StackId: LONGEST_STACK_ID, LogicalResourceId: LONGEST_LOGICAL_ID, RequestId: '00000000-0000-0000-0000-000000000000' } as OnEventRequest;
}

async function start(packages?: EmulatedPackage[]): Promise<void> {
  harness = await startHarness(packages && { packages });
  harness.setStack({ stackId: LONGEST_STACK_ID, stackName: STACK_NAME, status: 'CREATE_IN_PROGRESS' });
}

/** The response's Reason, its first line, and its size. */
function sent(response: string): { readonly firstLine: string; readonly reason: string; readonly bytes: number } {
  const reason = String(JSON.parse(response).Reason);
  return { firstLine: reason.split('\n')[0], reason, bytes: Buffer.byteLength(response, 'utf8') };
}

/** Text in CJK characters, three UTF-8 bytes each. */
const cjk = (characters: number) => '辞書の同義語規則が無効です。'.repeat(Math.ceil(characters / 14)).slice(0, characters);

describe('failure responses within 4,096 bytes', () => {
  test('a CJK ErrorMessage: the response fits, its first line names the error, the domain and the package', async () => {
    await start();
    harness.emulator.failNextAssociation(DOMAIN, DICTIONARY.id, 'DictionaryValidationFailed', cjk(2_000));

    const { error, response } = await playFailure(harness, longest(createEvent(properties(DICTIONARY.id))));

    const { firstLine, bytes } = sent(response);
    expect(bytes).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    expect(firstLine).toMatch(/^ASSOCIATION_FAILED: DictionaryValidationFailed: 辞書の同義語規則が無効です。/);
    expect(firstLine).toMatch(/ characters cut to fit CloudFormation's 4,096-byte response; the logs have them\] .*\(domain search-one, package F111\)$/);
    expect(error.message).toBe(firstLine);
  });

  test('a 200-line ErrorMessage: one line, not repeated by the trace, within the limit', async () => {
    await start();
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i + 1}: synonym rule 'a, b => c' refers to an unknown token`);
    harness.emulator.failNextAssociation(DOMAIN, DICTIONARY.id, 'DictionaryValidationFailed', lines.join('\n'));

    const { response } = await playFailure(harness, longest(createEvent(properties(DICTIONARY.id))));

    const { firstLine, reason, bytes } = sent(response);
    expect(bytes).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    expect(firstLine).toMatch(/^ASSOCIATION_FAILED: DictionaryValidationFailed: line 1: synonym rule 'a, b => c' refers to an unknown token \| line 2: /);
    expect(firstLine).toMatch(/line 200: synonym rule 'a, b => c' refers to an unknown token \(domain search-one, package F111\)$/);
    expect(reason.split('\n').slice(1)).toEqual(['', expect.stringMatching(/^Logs: \/aws\/lambda\//), '']);
  });

  test('a set of 20 packages, five failing with long CJK messages: one response within the limit names them all', async () => {
    const twenty: EmulatedPackage[] = Array.from({ length: 20 }, (_, i) => ({ id: `F${100000000 + i}`, name: `dictionary-${i}`, type: 'TXT-DICTIONARY' }));
    await start(twenty);
    const failing = [2, 5, 9, 14, 19].map((i) => twenty[i].id);
    failing.forEach((id) => harness.emulator.failNextAssociation(DOMAIN, id, 'DictionaryValidationFailed', `${id}: ${cjk(600)}\n${cjk(600)}`));
    const props = {
      ServiceToken: 'token',
      DomainName: DOMAIN,
      PackageList: twenty.map((p) => ({ PackageID: p.id })),
      PackageKeys: twenty.map((_, i) => `SynonymsDictionary${String(i).padStart(4, '0')}`),
    };

    const { error, response, physicalId } = await playFailure(harness, longest(createEvent(props, TYPE)));

    const { firstLine, bytes } = sent(response);
    expect(physicalId.length).toBeGreaterThan(200);
    expect(bytes).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    expect(firstLine).toMatch(/^ASSOCIATION_FAILED: F100000002 ASSOCIATION_FAILED: DictionaryValidationFailed: F100000002: /);
    expect(firstLine).toMatch(new RegExp(`\\(domain search-one, packages ${failing.join(', ')}\\)$`));
    expect(error.message).toBe(firstLine);
  });

  test('an onEvent failure of a Create in a stack with a 128-character name: the marker id, the longest ids, within the limit', async () => {
    await start();
    const configuration = { KeyStoreAccessOption: cjk(1_500) };

    const event = longest(createEvent(properties(DICTIONARY.id, { AssociationConfiguration: configuration })));
    const { response, physicalId } = await playFailure(harness, event);

    const { firstLine, bytes } = sent(response);
    expect(physicalId).toBe(CREATE_FAILED_MARKER);
    expect(JSON.parse(response)).toMatchObject({ StackId: LONGEST_STACK_ID, LogicalResourceId: LONGEST_LOGICAL_ID });
    expect(bytes).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    expect(firstLine).toMatch(/^InvalidProperty: AssociationConfiguration: \{"KeyStoreAccessOption":"辞書/);
    expect(firstLine).toMatch(/must be \{ KeyStoreAccessOption: \{ KeyStoreAccessEnabled, KeyAccessRoleArn\? \} \} \(domain search-one, package F111\)$/);
  });

  test('CloudFormation refuses a response over 4,096 bytes: the reason is lost', async () => {
    harness = await startHarness();
    const event = createEvent(properties(DICTIONARY.id, { AssociationConfiguration: { KeyStoreAccessOption: cjk(1_500) } }));

    const { error, response } = await playFailure(harness, { ...event, LogicalResourceId: 'L'.repeat(4_100) } as OnEventRequest);

    expect(Buffer.byteLength(response)).toBeGreaterThan(RESPONSE_LIMIT_BYTES);
    expect(error.message).toBe('Response object is too long.');
  });
});
