/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { cpus } from 'os';
import { join } from 'path';

/** bench/results.md: one section per benchmark, each replaced when its benchmark runs again. */
const RESULTS = join(__dirname, 'results.md');

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function writeSection(title: string, body: string): void {
	const old = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
	const sections = new Map<string, string>();
	for (const part of old.split(/^(?=## )/m).slice(1)) {
		sections.set(part.split('\n')[0].slice(3).trim(), part.trimEnd());
	}
	sections.set(
		title,
		`## ${title}\n\n_Run ${new Date().toISOString().slice(0, 10)}._\n\n${body.trim()}`,
	);
	const header = [
		'# Benchmarks',
		'',
		`Written by \`npm run bench\` (each section by its own benchmark): ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}; n8n 2.41.1 on Node 24.21.0 (the provisioned runtime); load and fakes on Node ${process.version} in the same machine.`,
	].join('\n');
	writeFileSync(RESULTS, `${header}\n\n${[...sections.values()].join('\n\n')}\n`);
}
