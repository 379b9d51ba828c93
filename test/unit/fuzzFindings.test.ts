/**
 * What the fuzz tests (fuzzParsers, fuzzTemplate, fuzzPaths) found, each pinned as the smallest body that
 * showed it. Bodies here are constructed.
 */
/* eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- vm interrupts a runaway synchronous parse */
import { runInNewContext } from 'vm';
import { jsonSyntaxError } from '../../nodes/core/jsonSyntax';
import { kodiNotification, parseKodi, type KodiItemDetails } from '../../nodes/core/parsers/kodi';
import { parseServarr } from '../../nodes/core/parsers/servarr';
import { normalizeIds } from '../../nodes/core/providerIds';
import { parseEmby } from '../../nodes/core/parsers/emby';
import { parseTautulli } from '../../nodes/core/parsers/tautulli';
import { renderTemplate } from '../../nodes/core/template';
import type { ServarrEvent } from '../../nodes/core/servarrEvent';
import { isoFromUnixSeconds } from '../../nodes/core/values';
import { context } from './fixtures';

describe('a Unix time beyond the dates JavaScript can hold (±8.64e15 ms)', () => {
	test('is no time, not a RangeError', () => {
		expect(isoFromUnixSeconds(8_640_000_000_000.001)).toBeNull();
		expect(isoFromUnixSeconds('1e21')).toBeNull();
		expect(isoFromUnixSeconds(8_640_000_000_000)).toBe('+275760-09-13T00:00:00.000Z');
	});

	test('as the Tautulli timestamp gives occurredAt null', () => {
		const event = parseTautulli({ event: 'tautulli.play', timestamp: 1e21 }, context());
		expect(event.occurredAt).toBeNull();
	});
});

test('a Tautulli body nested deeper than the call stack is read (JSON.parse takes it)', () => {
	const depth = 100_000;
	const deep: unknown = JSON.parse('['.repeat(depth) + ']'.repeat(depth));
	const event = parseTautulli(
		{ event: 'tautulli.play', Metadata: { type: 'movie', ratingKey: '101', extra: deep } },
		context(),
	);
	expect(event.event).toBe('play');
	expect(event.media?.id).toBe('101');
});

describe('a Kodi tvshowid that is not a number', () => {
	const episodeUpdate = kodiNotification({
		jsonrpc: '2.0',
		method: 'VideoLibrary.OnUpdate',
		params: { data: { item: { id: 7, type: 'episode' }, playcount: 1 } },
	})!;
	const server = { id: null, name: 'Kodi', version: '20.1' };
	const seriesId = (tvshowid: unknown) =>
		parseKodi(episodeUpdate, { tvshowid } as unknown as KodiItemDetails, {
			receivedAt: new Date(),
			server,
		}).media?.series?.id;

	test.each([
		['an object whose toString is not a function', { toString: 'x' }],
		['an array nested past the stack', JSON.parse('['.repeat(100_000) + ']'.repeat(100_000))],
		['null', null],
	])('(%s) gives no show id, not an error', (_, tvshowid) => {
		expect(seriesId(tvshowid)).toBeNull();
	});

	test('a number still names the show', () => {
		expect(seriesId(3)).toBe('tvshow:3');
	});
});

// Both found by the fuzzer: an empty provider name became ids[""], and a string where Kodi's uniqueid object
// belongs became one "provider" per character ({"0": "t", "1": "t", …}).
describe('provider ids from a map that is not one', () => {
	test.each([
		['an empty provider name', { '': 'x', Tmdb: '603' }, { tmdb: '603' }],
		['a string', 'tt0133093', {}],
		['an array', ['603'], {}],
	])('(%s) keeps only real providers', (_, ids, expected) => {
		expect(normalizeIds(ids as Record<string, unknown>)).toEqual(expected);
	});

	test('an empty provider name in an Emby body is no id', () => {
		const item = { Type: 'Movie', Name: 'x', ProviderIds: { '': '9007199254740992', Tmdb: '603' } };
		const event = parseEmby({ Event: 'library.new', Item: item }, context());
		expect(event.media?.ids).toEqual({ tmdb: '603' });
	});
});

// Found while choosing the fuzzer's huge strings, by reading the regexes the parsers run on wire text. The
// old regex took minutes on this body, the loop a millisecond. Jest cannot stop a synchronous test, so the parse
// runs under vm's timeout, which interrupts it.
test('a Sonarr series folder of 200,000 slashes is joined in linear time', () => {
	const folder = `${'/'.repeat(200_000)}tv`;
	const body = {
		eventType: 'Download',
		series: { id: 1, title: 'Show', path: folder },
		episodeFile: { relativePath: 'a.mkv' },
	};
	const event = runInNewContext(
		'parse()',
		{ parse: () => parseServarr(body, context()) },
		{
			timeout: 10_000,
		},
	) as ServarrEvent;
	expect(event.files).toEqual([{ path: `${folder}/a.mkv`, previousPath: null, change: 'created' }]);
});

// Found by reading the parsers for what a huge array does: Math.max(...list) passes every entry as an argument,
// and 200,000 arguments overflow the stack. A 16 MiB body holds 800,000 small episodes.
test('a Sonarr Import Complete with 200,000 episodes ends its range at the highest', () => {
	const episodes = Array.from({ length: 200_000 }, (_, index) => ({
		seasonNumber: 1,
		episodeNumber: index + 1,
	}));
	const event = parseServarr(
		{ eventType: 'Download', series: { id: 1, title: 'Show', path: '/tv/Show' }, episodes },
		context(),
	);
	expect(event.media?.episodeNumberEnd).toBe(200_000);
});

test('a JSON text that ends in a backslash inside a string breaks at its end, not past it', () => {
	expect(jsonSyntaxError('"\\')).toEqual({ offset: 2, reason: 'unterminated string' });
});

describe('a value nested deeper than JSON.stringify can go', () => {
	const media: unknown = JSON.parse('{"a":'.repeat(100_000) + '{}' + '}'.repeat(100_000));

	test.each(['json', 'text'] as const)(
		'fails the %s template with a TemplateError naming it',
		(mode) => {
			expect(() => renderTemplate('{"x": {{media}}}', { media }, mode)).toThrow(
				expect.objectContaining({ name: 'TemplateError', placeholder: '{{media}}', column: 7 }),
			);
		},
	);
});
