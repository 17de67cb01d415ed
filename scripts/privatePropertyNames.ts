/**
 * The TypeScript `private` member names esbuild may rename (`mangleProps`) in the self-contained
 * browser bundles (tsup.config.ts). A name qualifies only when the type checker proves that, in the
 * bundled sources, every member declared with it is `private` and every use of it resolves to such
 * a member: it is never a public member, an interface/type member, an object-literal key, a
 * destructured key, a string literal (`'x' in o`, `o['x']`), nor accessed on an `any`/unresolved
 * value. Names that any bundled dependency file contains, and names engines look up by themselves
 * (then, toJSON, handleEvent...), are excluded too. `#private` members need none of this: esbuild
 * already renames them.
 * @internal
 */
import ts from 'typescript';

/** Property names the platform reads on objects it is handed. */
const PROTOCOL_NAMES = new Set([
  'then', 'catch', 'finally', 'toJSON', 'toString', 'valueOf', 'handleEvent', 'next', 'return', 'throw',
  'done', 'value', 'constructor', 'prototype', 'length', 'name', 'message', 'stack', 'cause',
]);

export interface PrivateNamesResult {
  /** Names safe to rename, sorted. */
  names: string[];
  /** Private names left alone, with the first reason found (for reports). */
  excluded: Map<string, string>;
}

function hasModifier(node: ts.Node, flag: ts.ModifierFlags): boolean {
  return (ts.getCombinedModifierFlags(node as ts.Declaration) & flag) !== 0;
}

/** `(this as any)`, `this!`... → `this`. */
function unwrap(expression: ts.Expression): ts.Expression {
  while (
    ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isNonNullExpression(expression) ||
    ts.isTypeAssertionExpression(expression) || ts.isSatisfiesExpression(expression)
  ) {
    expression = expression.expression;
  }
  return expression;
}

function isClassMember(node: ts.Node): node is ts.ClassElement & { name: ts.Identifier } {
  return (
    (ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) &&
    ts.isClassLike(node.parent) &&
    ts.isIdentifier(node.name)
  );
}

function isParameterProperty(node: ts.Node): node is ts.ParameterDeclaration & { name: ts.Identifier } {
  return ts.isParameter(node) && ts.isIdentifier(node.name) && ts.isParameterPropertyDeclaration(node, node.parent);
}

/**
 * @param files the bundled TypeScript sources (absolute paths)
 * @param options their compiler options
 * @param dependencyWords every identifier-like word of every bundled dependency file; those are kept
 */
export function privatePropertyNames(
  files: readonly string[],
  options: ts.CompilerOptions,
  dependencyWords: ReadonlySet<string>,
): PrivateNamesResult {
  const program = ts.createProgram(files, { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const wanted = new Set(files.map((file) => ts.sys.resolvePath(file)));
  const privateNames = new Set<string>();
  const unsafe = new Map<string, string>();
  const exclude = (name: string, why: string): void => {
    if (!unsafe.has(name)) unsafe.set(name, why);
  };
  const isPrivateDeclaration = (declaration: ts.Declaration): boolean =>
    (isClassMember(declaration) || isParameterProperty(declaration)) && hasModifier(declaration, ts.ModifierFlags.Private);

  for (const source of program.getSourceFiles()) {
    if (!wanted.has(ts.sys.resolvePath(source.fileName))) continue;
    const where = (node: ts.Node): string => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      return `${source.fileName}:${line + 1}`;
    };
    // Export names become keys of the bundle's module namespace objects.
    const moduleSymbol = checker.getSymbolAtLocation(source);
    for (const exported of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) exclude(exported.name, 'exported');
    const visit = (node: ts.Node): void => {
      if (isClassMember(node) || isParameterProperty(node)) {
        if (hasModifier(node, ts.ModifierFlags.Private)) privateNames.add(node.name.text);
        else if (isClassMember(node) || hasModifier(node, ts.ModifierFlags.ParameterPropertyModifier)) {
          exclude(node.name.text, `non-private member at ${where(node)}`);
        }
      } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
        const declarations = checker.getSymbolAtLocation(node.name)?.declarations ?? [];
        if (declarations.length === 0 || !declarations.every(isPrivateDeclaration)) {
          exclude(node.name.text, `used on something else at ${where(node)}`);
        }
      } else if (ts.isElementAccessExpression(node) && !ts.isStringLiteralLike(node.argumentExpression)) {
        if (unwrap(node.expression).kind === ts.SyntaxKind.ThisKeyword) {
          throw new Error(`privatePropertyNames: this[<computed>] at ${where(node)} could reach a renamed member`);
        }
      } else if (
        (ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyAssignment(node) ||
          ts.isShorthandPropertyAssignment(node) || ts.isEnumMember(node) ||
          (ts.isMethodDeclaration(node) && ts.isObjectLiteralExpression(node.parent)) ||
          ((ts.isGetAccessor(node) || ts.isSetAccessor(node)) && ts.isObjectLiteralExpression(node.parent))) &&
        (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))
      ) {
        exclude(node.name.text, `key or type member at ${where(node)}`);
      } else if (ts.isBindingElement(node)) {
        const key = node.propertyName ?? node.name;
        if (ts.isIdentifier(key) || ts.isStringLiteral(key)) exclude(key.text, `destructured at ${where(node)}`);
      } else if (ts.isStringLiteralLike(node)) {
        exclude(node.text, `string literal at ${where(node)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  const names: string[] = [];
  const excluded = new Map<string, string>();
  for (const name of privateNames) {
    const why =
      unsafe.get(name) ??
      (PROTOCOL_NAMES.has(name) ? 'looked up by the platform' : undefined) ??
      (dependencyWords.has(name) ? 'found in a bundled dependency' : undefined);
    if (why) excluded.set(name, why);
    else names.push(name);
  }
  return { names: names.sort(), excluded };
}
