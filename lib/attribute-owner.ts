import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The construct `value` is an attribute of (a `Fn::GetAtt` of a resource it holds), when it passes `wanted`: the
 * innermost such construct around the attribute's resource. Undefined for a literal or any other token.
 */
export function attributeOwner(value: string, wanted: (construct: IConstruct) => boolean): IConstruct | undefined {
  if (!Token.isUnresolved(value)) {
    return undefined;
  }
  const token = Tokenization.reverseString(value).firstToken;
  const target = token instanceof Reference ? token.target : undefined;
  return target?.node.scopes.slice().reverse().find(wanted);
}
