/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- reads the README */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseTautulli } from '../../nodes/core/parsers/tautulli';
import { fixtureText } from '../fixtures/load';
import { context, renderTautulli, TAUTULLI_MOVIE } from './fixtures';

/** The README's Tautulli templates are what users paste: they must stay valid and parse as documented. */
const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

function jsonBlockAfter(marker: string): string {
	const start = readme.indexOf(marker);
	expect(start).toBeGreaterThan(-1);
	const block = /```json\n([\s\S]*?)```/.exec(readme.slice(start));
	if (!block) throw new Error(`No JSON block after "${marker}" in the README`);
	return block[1];
}

test('the README JSON Data template is the WatchState template plus the event-time keys', () => {
	const template = JSON.parse(jsonBlockAfter('JSON Data:'));
	const { utctime, timestamp, ...rest } = template;
	expect({ utctime, timestamp }).toEqual({ utctime: '{utctime}', timestamp: '{unixtime}' });
	expect(rest).toEqual(JSON.parse(fixtureText('tautulli', 'watchstate-body-template.json')));
});

test('the README JSON Data template, rendered by Tautulli, gives the documented event time', () => {
	const body = renderTautulli(jsonBlockAfter('JSON Data:'), {
		...TAUTULLI_MOVIE,
		action: 'watched',
		utctime: '2024-06-01T11:58:30.123456',
		unixtime: '1717243110',
	});
	expect(parseTautulli(body, context())).toMatchObject({
		event: 'watched',
		occurredAt: '2024-06-01T11:58:30.123Z',
		media: { title: 'Big Trouble in Little China', year: 1986 },
	});
});

test('the README JSON Headers block is valid JSON with the User-Agent line', () => {
	expect(JSON.parse(jsonBlockAfter('JSON Headers.'))).toMatchObject({
		'user-agent': 'Tautulli/{tautulli_version}',
	});
});
