// Three tiers, run together by `npm test`: unit (pure core), node (each node's methods with mocked n8n
// contexts), e2e (the packed package inside a real n8n 2.x; see test/e2e/README.md).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];

/** @type {import('jest').Config} */
module.exports = {
	projects: [
		{ displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'], transform: { '^.+\\.ts$': tsJest } },
		{ displayName: 'node', testMatch: ['<rootDir>/test/node/**/*.test.ts'], transform: { '^.+\\.ts$': tsJest } },
		{
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			transform: { '^.+\\.ts$': tsJest },
			globalSetup: '<rootDir>/test/e2e/global-setup.js',
			globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
			slowTestThreshold: 600,
		},
	],
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
