// `npm run bench`: the benchmarks in bench/, run with jest for its TypeScript transform and the e2e tier's
// n8n provisioning. They measure and write bench/results.md; they assert nothing about speed.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];

/** @type {import('jest').Config} */
module.exports = {
	rootDir: __dirname,
	transform: { '^.+\\.ts$': tsJest },
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	testMatch: ['<rootDir>/bench/**/*.bench.ts'],
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	testTimeout: 600000,
	verbose: true,
};
