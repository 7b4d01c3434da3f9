/**
 * The public API as jsii sees it (the `.jsii` assembly that `npm run build` writes) and as JavaScript sees it
 * (lib/index's runtime exports): only constructs, props, options, enums and classes with documented static
 * factories; every member documented; no public constructor on a class that users never construct.
 */
import * as api from '../../lib';
import { constructClassNames, readAssembly } from '../../scripts/bindings';

interface Docs { readonly summary?: string; readonly default?: string }
interface Parameter { readonly name: string; readonly docs?: Docs }
interface Callable { readonly name?: string; readonly docs?: Docs; readonly parameters?: Parameter[] }
interface Type {
  readonly kind: 'class' | 'interface' | 'enum';
  readonly name: string;
  readonly abstract?: boolean;
  readonly datatype?: boolean;
  readonly docs?: Docs;
  readonly initializer?: Callable;
  readonly methods?: Callable[];
  readonly properties?: Array<{ readonly name: string; readonly optional?: boolean; readonly docs?: Docs }>;
  readonly members?: Array<{ readonly name: string; readonly docs?: Docs }>;
}

const assembly = readAssembly();
const types = Object.values(assembly.types) as unknown as Type[];

test('lib/index exports at runtime exactly the assembly\'s classes and enums: no function, constant or internal class', () => {
  const runtime = Object.keys(api).sort();
  const expected = types.filter((type) => type.kind !== 'interface').map((type) => type.name).sort();
  expect(runtime).toEqual(expected);
  expect(runtime).toEqual(expect.arrayContaining(['PackagesProvider', 'DomainPackagesMember']));
});

test('every type, property, method, parameter and enum member has a docstring; every optional prop documents its @default', () => {
  const undocumented: string[] = [];
  const check = (where: string, docs: Docs | undefined) => {
    if (!docs?.summary?.trim()) undocumented.push(where);
  };
  for (const type of types) {
    check(type.name, type.docs);
    for (const property of type.properties ?? []) {
      check(`${type.name}.${property.name}`, property.docs);
      if (type.datatype && property.optional && property.docs?.default === undefined) undocumented.push(`${type.name}.${property.name} @default`);
    }
    for (const method of [...type.methods ?? [], ...(type.initializer ? [{ ...type.initializer, name: 'constructor' }] : [])]) {
      if (method.name !== 'constructor') check(`${type.name}.${method.name}`, method.docs);
      for (const parameter of method.parameters ?? []) check(`${type.name}.${method.name}(${parameter.name})`, parameter.docs);
    }
    for (const member of type.members ?? []) check(`${type.name}.${member.name}`, member.docs);
  }
  expect(undocumented).toEqual([]);
});

test('only constructs and abstract classes (to subclass) have a public constructor; the others come from static factories or methods', () => {
  const constructs = constructClassNames(assembly);
  const constructible = types.filter((type) => type.kind === 'class' && type.initializer && !type.abstract && !constructs.includes(type.name));
  expect(constructible.map((type) => type.name)).toEqual([]);
  const noConstructor = types.filter((type) => type.kind === 'class' && !type.initializer).map((type) => type.name);
  expect(noConstructor).toEqual(expect.arrayContaining(['DomainPackagesMember', 'PackagesProvider']));
});

test('the old provider settings are deprecated in favour of PackagesProvider', () => {
  const association = types.find((type) => type.name === 'DomainPackageAssociation')!;
  const configure = association.methods!.find((method) => method.name === 'configureProvider') as Callable & { docs?: { deprecated?: string } };
  expect(configure.docs?.deprecated).toContain('PackagesProvider.configure');
  const options = types.find((type) => type.name === 'AssociationProviderOptions') as Type & { docs?: { deprecated?: string } };
  expect(options.docs?.deprecated).toContain('PackagesProviderOptions');
});
