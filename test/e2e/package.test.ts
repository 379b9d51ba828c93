/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test code that runs npm pack */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '..', '..');

describe('the published package', () => {
	test('npm pack ships only dist/, README, LICENSE and package.json', () => {
		const [pack] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: root,
				encoding: 'utf8',
			}),
		) as Array<{ files: Array<{ path: string }> }>;
		const outside = pack.files
			.map((file) => file.path)
			.filter(
				(file) =>
					!file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
			);
		expect(outside).toEqual([]);
		expect(pack.files.filter((file) => /(^|\/)test\/|\.test\.|fixtures/.test(file.path))).toEqual(
			[],
		);
	});

	test('has no runtime dependencies and lists every built node', () => {
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		expect(manifest.dependencies).toBeUndefined();
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(() => readFileSync(join(root, file))).not.toThrow();
		}
	});
});
