/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports -- benchmark code */
import { join } from 'path';
import { parseEmby } from '../nodes/core/parsers/emby';
import { parseJellyfin } from '../nodes/core/parsers/jellyfin';
import { parsePlex } from '../nodes/core/parsers/plex';
import { parseServarr } from '../nodes/core/parsers/servarr';
import { PRESETS, type PresetId } from '../nodes/core/presets';
import {
	ownerEnv,
	pipelineWorkflow,
	restSession,
	startN8nWith,
	type RunningN8n,
} from '../test/e2e/harness';
import { fixtureFiles, fixtureJson } from '../test/fixtures/load';
import { percentile, writeSection, type SummaryRow } from './report';

/**
 * Media Template against n8n's own expressions, in one real n8n run: 2,000 events (every real fixture of every
 * server, repeated) go through a Media Template node per preset and, beside each, a Set node that builds the same
 * body with n8n expressions. Times are each node's own execution time as n8n records it (runData
 * executionTime); rounds are repeated and the median taken. The Set bodies are compared with the template's, so
 * the two sides build the same thing.
 */

const ITEMS = 2000;
const ROUNDS = 3;
const PRESET_IDS = Object.keys(PRESETS) as PresetId[];
const CHAT_ID = '-1001234567890';

/** The same one-line summary as `{{summary}}`, as an n8n expression. */
const SUMMARY = `(($json.media ? (($json.media.series && $json.media.series.title ? $json.media.series.title + ($json.media.seasonNumber != null && $json.media.episodeNumber != null ? ' S' + String($json.media.seasonNumber).padStart(2, '0') + 'E' + String($json.media.episodeNumber).padStart(2, '0') : '') + ($json.media.title ? ' ' + $json.media.title : '') : ($json.media.title || '')) + ($json.media.year != null ? ' (' + $json.media.year + ')' : '')).trim() : ($json.message || $json.event || '')))`;
const SIZE = `($json.size != null && $json.size > 0 ? (b => b < 1024 ? b + ' B' : b < 1048576 ? (b / 1024).toFixed(1) + ' KB' : b < 1073741824 ? (b / 1048576).toFixed(1) + ' MB' : b < 1099511627776 ? (b / 1073741824).toFixed(1) + ' GB' : (b / 1099511627776).toFixed(1) + ' TB')($json.size) : null)`;
const EVENT = `($json.event || '')`;
const OR_NULL = (expression: string) => `(${expression} ?? null)`;

/** Each preset's body built with n8n expressions, as a user would write it in a Set node. */
const EXPRESSIONS: Record<PresetId, string> = {
	discord: `{ content: '**' + ${EVENT} + '** ' + ${SUMMARY} }`,
	slack: `{ text: '*' + ${EVENT} + '* ' + ${SUMMARY} }`,
	ntfy: `${EVENT} + ': ' + ${SUMMARY}`,
	telegram: `{ chat_id: ${CHAT_ID}, text: ${EVENT} + ': ' + ${SUMMARY} }`,
	gotify: `{ title: ${EVENT}, message: ${SUMMARY}, priority: 5 }`,
	homeAssistant: `{ event: ${OR_NULL('$json.event')}, source: ${OR_NULL('$json.source')}, summary: ${SUMMARY} || null, title: ${OR_NULL('$json.media?.title')}, show: ${OR_NULL('$json.media?.series?.title')}, season: ${OR_NULL('$json.media?.seasonNumber')}, episode: ${OR_NULL('$json.media?.episodeNumber')}, year: ${OR_NULL('$json.media?.year')}, user: ${OR_NULL('$json.user?.name')}, quality: ${OR_NULL('$json.quality')}, message: ${OR_NULL('$json.message')} }`,
	generic: `{ event_type: ${OR_NULL('$json.event')}, movie_id: $json.media?.type === 'movie' ? ${OR_NULL('$json.media.id')} : null, episode_id: $json.media?.type === 'episode' ? ${OR_NULL('$json.media.id')} : null, title: ${OR_NULL('$json.media?.title')}, show: ${OR_NULL('$json.media?.series?.title')}, season: ${OR_NULL('$json.media?.seasonNumber')}, episode: ${OR_NULL('$json.media?.episodeNumber')}, quality: ${OR_NULL('$json.quality')}, year: ${OR_NULL('$json.media?.year')}, size: ${SIZE}, indexer: ${OR_NULL('$json.indexer')}, message: ${OR_NULL('$json.message')} }`,
};

function events(): object[] {
	const context = { receivedAt: new Date(0) };
	const all: object[] = [
		...fixtureFiles('jellyfin').map((file) =>
			parseJellyfin(fixtureJson('jellyfin', file), context),
		),
		...fixtureFiles('emby').map((file) => parseEmby(fixtureJson('emby', file), context)),
		...fixtureFiles('plex').map((file) => parsePlex(fixtureJson('plex', file), context)),
		...fixtureFiles('servarr').map((file) => parseServarr(fixtureJson('servarr', file), context)),
	];
	return Array.from({ length: ITEMS }, (_, index) => all[index % all.length]);
}

function workflow() {
	const base = pipelineWorkflow('templateBench', null, [
		{
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: 'template-bench',
			parameters: {
				httpMethod: 'POST',
				path: 'template-bench/webhook',
				responseMode: 'lastNode',
				options: {},
			},
		},
		{
			name: 'Split',
			type: 'n8n-nodes-base.splitOut',
			parameters: { fieldToSplitOut: 'body.events', options: {} },
		},
	]);
	// Template and Set of each preset side by side, so that machine noise hits both.
	const nodes = PRESET_IDS.flatMap((id, index) => [
		{
			id: `template-${id}`,
			name: `Template ${id}`,
			type: 'n8n-nodes-media-server.mediaTemplate',
			typeVersion: 1,
			position: [500, index * 200],
			parameters: { preset: id, telegramChatId: CHAT_ID, gotifyPriority: 5, options: {} },
		},
		{
			id: `set-${id}`,
			name: `Set ${id}`,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [500, index * 200 + 100],
			parameters: {
				mode: 'raw',
				jsonOutput: `={{ JSON.stringify({ body: ${EXPRESSIONS[id]} }) }}`,
				options: {},
			},
		},
	]);
	return {
		...base,
		nodes: [...base.nodes, ...nodes],
		connections: {
			...base.connections,
			Split: { main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
		},
	};
}

let n8n: RunningN8n;

beforeAll(async () => {
	n8n = await startN8nWith({ workflows: [workflow()], env: ownerEnv() });
}, 600000);

afterAll(async () => {
	await n8n?.stop();
});

interface RunData {
	[node: string]: Array<{
		executionTime: number;
		data: { main: Array<Array<{ json: { body: unknown } }>> };
	}>;
}

async function lastRun(): Promise<RunData> {
	const provisioned = JSON.parse(process.env.MEDIA_SERVER_E2E_RUNTIME ?? '{}') as { dir: string };
	const flatted = require(join(provisioned.dir, 'node_modules', 'flatted')) as {
		parse(text: string): unknown;
	};
	const session = await restSession(n8n.baseUrl);
	const list = (await session.get(
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'templateBench' }))}`,
	)) as { results: Array<{ id: string }> };
	const latest = list.results.map((entry) => Number(entry.id)).sort((a, b) => b - a)[0];
	const execution = (await session.get(`/executions/${latest}`)) as { data: string };
	return (flatted.parse(execution.data) as { resultData: { runData: RunData } }).resultData.runData;
}

test('Media Template vs n8n expressions in a Set node, per preset', async () => {
	const body = JSON.stringify({ events: events() });
	const times: Record<string, number[]> = {};
	const mismatches: Record<string, number> = {};
	for (let round = 0; round < ROUNDS; round++) {
		const response = await fetch(`${n8n.baseUrl}/webhook/template-bench/webhook`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body,
		});
		expect(response.status).toBe(200);
		const runData = await lastRun();
		for (const id of PRESET_IDS) {
			for (const side of ['Template', 'Set']) {
				const run = runData[`${side} ${id}`][0];
				(times[`${side} ${id}`] ??= []).push(run.executionTime);
				expect(run.data.main[0]).toHaveLength(ITEMS);
			}
			if (round === 0) {
				const template = runData[`Template ${id}`][0].data.main[0];
				const set = runData[`Set ${id}`][0].data.main[0];
				mismatches[id] = template.filter(
					(item, index) => JSON.stringify(item.json.body) !== JSON.stringify(set[index].json.body),
				).length;
			}
		}
	}
	const perSecond = (ms: number) => Math.round((ITEMS / Math.max(ms, 1)) * 1000);
	const rows = PRESET_IDS.map((id) => {
		const template = percentile(times[`Template ${id}`], 50);
		const set = percentile(times[`Set ${id}`], 50);
		return `| ${PRESETS[id].name} | ${perSecond(template).toLocaleString('en')} | ${perSecond(set).toLocaleString('en')} | ${(set / Math.max(template, 1)).toFixed(1)}× | ${mismatches[id]} |`;
	});
	writeSection(
		'Media Template vs n8n expressions',
		[
			`${ITEMS.toLocaleString('en')} events (every real fixture of Jellyfin, Emby, Plex and Sonarr/Radarr, repeated) through a Media Template node per preset and, beside each, a Set node building the same body with n8n expressions, in one real n8n run. Each node's own execution time as n8n records it; median of ${ROUNDS} rounds.`,
			'',
			'| Preset | Media Template, renders/s | Set node with expressions, renders/s | Template faster by | Bodies that differ |',
			'|---|---|---|---|---|',
			...rows,
		].join('\n'),
		[templateSummary(times)],
	);
}, 600000);

/** The presets' range: the slowest and fastest ratio of Set-node time to Template time. */
function templateSummary(times: Record<string, number[]>): SummaryRow {
	const ratios = PRESET_IDS.map(
		(id) =>
			percentile(times[`Set ${id}`], 50) / Math.max(percentile(times[`Template ${id}`], 50), 1),
	);
	const total = (side: string) =>
		PRESET_IDS.reduce((sum, id) => sum + percentile(times[`${side} ${id}`], 50), 0);
	return {
		benchmark: 'Media Template',
		measure: `Render ${ITEMS.toLocaleString('en')} events, ${PRESET_IDS.length} presets`,
		ours: `${total('Template')} ms in all`,
		baseline: `Set node with n8n expressions: ${total('Set')} ms`,
		comparison: `${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)}× faster per preset`,
	};
}
