import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The construct an attribute token points into: among the scopes of the
 * resource that `value` references (`Fn::GetAtt`, `Ref`, also from another
 * stack), the innermost one that `accepts`. Undefined for a literal, or a
 * token that references no resource (a parameter, an import by name).
 */
export function constructBehind(value: string, accepts: (construct: IConstruct) => boolean): IConstruct | undefined {
  if (!Token.isUnresolved(value)) {
    return undefined;
  }
  const token = Tokenization.reverseString(value).firstToken;
  const target = token instanceof Reference ? token.target : undefined;
  return target?.node.scopes.slice().reverse().find(accepts);
}
