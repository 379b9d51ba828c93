/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join } from 'path';

/** bench/results.md: one section per benchmark, each replaced when its benchmark runs again. */
const RESULTS = join(__dirname, 'results.md');

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A line of the summary table at the top of results.md, which puts every benchmark's headline figure side by side. */
export interface SummaryRow {
	benchmark: string;
	measure: string;
	ours: string;
	/** What ours is compared with, and its figure. */
	baseline: string;
	/** How ours compares ("40× fewer", "3.2× faster"). */
	comparison: string;
}

const SUMMARY_TITLE = 'Summary';
const SUMMARY_MARK = /^<!-- summary (.*) -->$/m;

function summaryTable(sections: Iterable<string>): string {
	const rows = [...sections].flatMap((section) => {
		const mark = SUMMARY_MARK.exec(section);
		return mark ? (JSON.parse(mark[1]) as SummaryRow[]) : [];
	});
	return [
		`## ${SUMMARY_TITLE}`,
		'',
		"Each benchmark's headline figures, from the sections below (each dated by its run).",
		'',
		'| Benchmark | Measure | Ours | Baseline | Ours vs baseline |',
		'|---|---|---|---|---|',
		...rows.map(
			(row) =>
				`| ${row.benchmark} | ${row.measure} | ${row.ours} | ${row.baseline} | ${row.comparison} |`,
		),
	].join('\n');
}

/** Replaces the section `title` of results.md; its summary rows go into the table at the top. */
export function writeSection(title: string, body: string, summary: SummaryRow[] = []): void {
	const old = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
	const sections = new Map<string, string>();
	for (const part of old.split(/^(?=## )/m).slice(1)) {
		const partTitle = part.split('\n')[0].slice(3).trim();
		if (partTitle !== SUMMARY_TITLE) sections.set(partTitle, part.trimEnd());
	}
	const mark = summary.length ? `\n\n<!-- summary ${JSON.stringify(summary)} -->` : '';
	sections.set(
		title,
		`## ${title}\n\n_Run ${new Date().toISOString().slice(0, 10)}._\n\n${body.trim()}${mark}`,
	);
	const header = [
		'# Benchmarks',
		'',
		`Written by \`npm run bench\` (each section by its own benchmark): ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; n8n 2.41.1 on Node 24.21.0 (the provisioned runtime); load and fakes on Node ${process.version} in the same machine.`,
	].join('\n');
	const all = [...sections.values()];
	writeFileSync(RESULTS, `${header}\n\n${summaryTable(all)}\n\n${all.join('\n\n')}\n`);
}
