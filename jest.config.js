// Three tiers, run together by `npm test`: unit (pure core), node (each node's methods with mocked n8n
// contexts), e2e (the packed package inside a real n8n 2.x; see DEVELOPERS.md).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
// dist/ holds a copy of package.json, which jest's module map would otherwise report as a name clash.
const common = {
	transform: { '^.+\\.ts$': tsJest },
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
	projects: [
		{
			...common,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
			// Not UTC, the zone of this machine and CI, so that zone mistakes fail (test/support/zone-environment.js).
			testEnvironment: '<rootDir>/test/support/zone-environment.js',
		},
		{ ...common, displayName: 'node', testMatch: ['<rootDir>/test/node/**/*.test.ts'] },
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			globalSetup: '<rootDir>/test/e2e/global-setup.js',
			globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
			slowTestThreshold: 600,
		},
		// A real Kodi 20 under Xvfb per test file (test/kodi/harness.ts; needs Debian's kodi, xvfb, sqlite3).
		{
			...common,
			displayName: 'kodi',
			testMatch: ['<rootDir>/test/kodi/**/*.test.ts'],
			slowTestThreshold: 120,
		},
	],
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
