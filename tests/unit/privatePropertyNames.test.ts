/**
 * @jest-environment node
 *
 * scripts/privatePropertyNames.ts decides which `private` member names the browser bundles rename
 * (tsup.config.ts, esbuild mangleProps). Every way a renamed name could be reached from outside
 * the renamed code must keep it out of the list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { privatePropertyNames } from '../../scripts/privatePropertyNames';

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  lib: ['lib.es2022.d.ts'],
  types: [],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'private-names-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function namesOf(sources: Record<string, string>, dependencyWords: string[] = []) {
  const files = Object.entries(sources).map(([name, text]) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  });
  return privatePropertyNames(files, OPTIONS, new Set(dependencyWords));
}

describe('privatePropertyNames', () => {
  it('lists private members used only through their class, and excludes every other way to reach a name', () => {
    const result = namesOf(
      {
        'a.ts': `
          export class A {
            private onlyHere = 1;
            private keyElsewhere = 2;
            private publicElsewhere = 3;
            private inDependency = 4;
            private quoted = 5;
            private viaAny = 6;
            private then = 7;
            private destructured = 8;
            constructor(private readonly fromParameter: number) {}
            run(other: any): number {
              const { destructured } = { destructured: 1 };
              return this.onlyHere + this.keyElsewhere + this.publicElsewhere + this.inDependency + this.quoted +
                this.viaAny + this.then + this.fromParameter + destructured + other.viaAny + ('quoted' in other ? 1 : 0);
            }
          }
          export const literal = { keyElsewhere: true };`,
        'b.ts': `
          export class B { publicElsewhere = 0; }
          export function exportedName(): void {}
          export class C { private exportedName = 0; read(): number { return this.exportedName; } }`,
      },
      ['inDependency'],
    );
    expect(result.names).toEqual(['fromParameter', 'onlyHere']);
    expect([...result.excluded.keys()].sort()).toEqual(
      ['destructured', 'exportedName', 'inDependency', 'keyElsewhere', 'publicElsewhere', 'quoted', 'then', 'viaAny'].sort(),
    );
    expect(result.excluded.get('inDependency')).toBe('found in a bundled dependency');
    expect(result.excluded.get('viaAny')).toMatch(/^used on something else at .*a\.ts:\d+$/);
  });

  it('refuses code that reaches its own members by a computed name', () => {
    expect(() =>
      namesOf({
        'c.ts': `export class D { private hidden = 1; get(key: string): unknown { return (this as any)[key]; } }`,
      }),
    ).toThrow(/this\[<computed>\] at .*c\.ts:1/);
  });
});
