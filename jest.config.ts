import type { Config } from 'jest';

// ts-jest only transpiles (isolatedModules); `npm run typecheck` does the type checking once.
const transform: Config['transform'] = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      tsconfig: {
        isolatedModules: true,
        module: 'commonjs',
        moduleResolution: 'node',
        verbatimModuleSyntax: false,
        esModuleInterop: true,
        target: 'ES2022',
      },
    },
  ],
};

const common = {
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Sources import siblings with explicit .js suffixes (ESM style); map them back to .ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'server',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/server/**/*.test.ts', '<rootDir>/tests/integration/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/e2e/globalSetup.ts',
    },
  ],
};

export default config;
