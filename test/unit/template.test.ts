import { parseEmby } from '../../nodes/core/parsers/emby';
import { parseJellyfin } from '../../nodes/core/parsers/jellyfin';
import { parsePlex } from '../../nodes/core/parsers/plex';
import { parseServarr } from '../../nodes/core/parsers/servarr';
import { parseTautulli } from '../../nodes/core/parsers/tautulli';
import { PRESETS, type PresetId } from '../../nodes/core/presets';
import { formatSize, renderTemplate, TemplateError } from '../../nodes/core/template';
import type { JsonObject } from '../../nodes/core/values';
import { fixtureFiles, fixtureJson, fixtureText } from '../fixtures/load';
import { context, renderTautulli, TAUTULLI_MOVIE } from './fixtures';
import { RECEIVERS } from './receivers';

const json = (template: string, item: JsonObject) => renderTemplate(template, item, 'json').body;
const text = (template: string, item: JsonObject) => renderTemplate(template, item, 'text').body;

const HOSTILE = [
	'The "Movie"',
	'C:\\path\\to',
	'line one\nline two\r\n\ttabbed',
	'bell \u0007 null \u0000 escape \u001b',
	'emoji 🎬🍿 and 👩‍👩‍👧',
	'RTL עברית العربية',
	'lone \ud800 surrogate \udfff',
	'</script><b>&amp;',
	'{{title}} braces',
];

describe('JSON mode escaping', () => {
	it.each(HOSTILE)('a title %j comes back unchanged', (title) => {
		const item = { media: { title } };
		expect(json('{"content": "**{{title}}**", "raw": {{title}}}', item)).toEqual({
			content: `**${title}**`,
			raw: title,
		});
	});

	it('numbers and booleans stand alone unquoted, and are text inside a string', () => {
		const item = {
			media: { seasonNumber: 2, episodeNumber: 3, year: 2022 },
			played: true,
			progress: 0.25,
		};
		expect(
			json('{"s": {{season}}, "e": "E{{episode}}", "p": {{played}}, "x": {{progress}}}', item),
		).toEqual({
			s: 2,
			e: 'E3',
			p: true,
			x: 0.25,
		});
	});

	it('missing values: empty inside a string, null standing alone', () => {
		expect(
			json('{"a": "[{{show}}]", "b": {{show}}, "c": {{media.ids.tmdb}}}', { media: { ids: {} } }),
		).toEqual({
			a: '[]',
			b: null,
			c: null,
		});
	});

	it('objects and arrays stand alone as JSON', () => {
		expect(
			json('{"ids": {{media.ids}}, "files": {{files}}}', {
				media: { ids: { tmdb: '603' } },
				files: [{ path: '/a' }],
			}),
		).toEqual({
			ids: { tmdb: '603' },
			files: [{ path: '/a' }],
		});
	});

	it('a backslash before a quote in the template stays inside the string', () => {
		expect(json('{"a": "say \\"{{title}}\\""}', { media: { title: 'hi' } })).toEqual({
			a: 'say "hi"',
		});
	});
});

describe('placeholders', () => {
	const item = {
		event: 'import',
		user: { name: 'Rain' },
		media: {
			type: 'episode',
			id: 'e1',
			title: 'Who Is Alive?',
			series: { title: 'Severance' },
			seasonNumber: 2,
			episodeNumber: 3,
			year: 2025,
			ids: { tvdb: '123' },
		},
		files: [{ path: '/tv/a.mkv' }, { path: '/tv/b.mkv' }],
		size: 1503238554,
	};

	it('dotted paths, array indexes, the named set', () => {
		expect(
			text(
				'{{media.ids.tvdb}} {{files.1.path}} {{user.name}} {{show}} S{{season}}E{{episode}} {{episode_id}}|{{movie_id}}| {{size}} {{size_bytes}}',
				item,
			),
		).toBe('123 /tv/b.mkv Rain Severance S2E3 e1|| 1.4 GB 1503238554');
		expect(text('{{summary}}', item)).toBe('Severance S02E03 Who Is Alive? (2025)');
	});

	it('fallbacks: the first with a value, a quoted literal last', () => {
		expect(
			text('{{show|title}} / {{quality|\'unknown\'}} / {{indexer|"none"}}', {
				media: { title: 'Dune' },
			}),
		).toBe('Dune / unknown / none');
	});

	it('reports what names nothing, and renders it empty', () => {
		const rendered = renderTemplate('{{tittle}} {{media.nope}} {{nothing.at.all}}', item, 'text');
		expect(rendered.body).toBe('  ');
		expect(rendered.unknown).toEqual(['tittle', 'nothing.at.all']);
	});

	it('never reads inherited properties', () => {
		const rendered = renderTemplate(
			'{{constructor}}|{{__proto__}}|{{toString}}|{{media.constructor}}',
			item,
			'text',
		);
		expect(rendered.body).toBe('|||');
		expect(rendered.unknown).toEqual(['constructor', '__proto__', 'toString']);
	});

	it('text mode: no escaping at all', () => {
		expect(
			text('"{{title}}"\n{{message}}', {
				media: { title: 'The "Movie"\nPart 2' },
				message: 'a\\b',
			}),
		).toBe('"The "Movie"\nPart 2"\na\\b');
	});

	it('formats sizes as Kino does', () => {
		expect([0, 1023, 1024, 1536, 4.2 * 1024 ** 3].map((bytes) => formatSize(bytes))).toEqual([
			'0 B',
			'1023 B',
			'1.0 KB',
			'1.5 KB',
			'4.2 GB',
		]);
	});
});

describe('invalid templates', () => {
	const error = (template: string, item: JsonObject = {}) => {
		try {
			renderTemplate(template, item, 'json');
		} catch (caught) {
			return caught as TemplateError;
		}
		throw new Error('rendered without an error');
	};

	it('names the line and column of the broken template', () => {
		const broken = error('{\n  "a": "x"\n  "b": 1\n}');
		expect(broken).toBeInstanceOf(TemplateError);
		expect([broken.line, broken.column, broken.placeholder]).toEqual([3, 3, null]);
		expect(broken.message).toMatch(/expected "\}" at template line 3, column 3/);
	});

	it('names the placeholder whose value broke it', () => {
		const broken = error('{\n  "a": {{title}}{{year}}\n}', {
			media: { title: 'Dune', year: 2021 },
		});
		expect([broken.line, broken.column, broken.placeholder]).toEqual([2, 17, '{{year}}']);
		expect(broken.message).toContain('at {{year}}');
	});

	it('an unterminated string is found', () => {
		expect(error('{"a": "{{title}}}', { media: { title: 'x' } }).message).toMatch(
			/unterminated string/,
		);
	});
});

/** Every real fixture of every server, as its trigger emits it, plus a constructed hostile title. */
function allEvents(): Array<[string, JsonObject]> {
	const events: Array<[string, JsonObject]> = [];
	const add = (name: string, event: unknown) => events.push([name, event as JsonObject]);
	for (const file of fixtureFiles('jellyfin'))
		add(`jellyfin/${file}`, parseJellyfin(fixtureJson('jellyfin', file), context()));
	for (const file of fixtureFiles('emby'))
		add(`emby/${file}`, parseEmby(fixtureJson('emby', file), context()));
	for (const file of fixtureFiles('plex'))
		add(`plex/${file}`, parsePlex(fixtureJson('plex', file), context()));
	for (const file of fixtureFiles('servarr'))
		add(`servarr/${file}`, parseServarr(fixtureJson('servarr', file), context()));
	// Tautulli: the real template rendered with constructed values, as in tautulli.test.ts.
	const tautulli = renderTautulli(fixtureText('tautulli', 'watchstate-body-template.json'), {
		...TAUTULLI_MOVIE,
		action: 'watched',
	});
	add('tautulli/watched', parseTautulli(tautulli, context()));
	// Constructed from the real Jellyfin movie stop: a title with quotes, a backslash, a newline and emoji.
	const hostile = fixtureJson('jellyfin', 'playback-stop-movie-10.8.8.json');
	add(
		'constructed hostile title',
		parseJellyfin({ ...hostile, Name: 'The "Menu" \\ 🍽️\nRTL עברית' }, context()),
	);
	return events;
}

describe('presets', () => {
	const events = allEvents();

	it.each(Object.keys(PRESETS) as PresetId[])(
		'%s: every event gives a body its receiver accepts',
		(id) => {
			const preset = PRESETS[id];
			const template = preset.template({ telegramChatId: '-1001234567890', gotifyPriority: 5 });
			for (const [name, event] of events) {
				const { body, unknown } = renderTemplate(template, event, preset.mode);
				expect({ name, unknown }).toEqual({ name, unknown: [] });
				expect({ name, problems: RECEIVERS[id](body) }).toEqual({ name, problems: [] });
			}
		},
	);

	it('Telegram takes a channel name as a string', () => {
		const body = renderTemplate(
			PRESETS.telegram.template({ telegramChatId: '@mediachannel' }),
			{ event: 'test' },
			'json',
		).body;
		expect(body).toEqual({ chat_id: '@mediachannel', text: 'test: test' });
	});

	it("Generic is Kino's default payload, filled from a Sonarr import", () => {
		const event = parseServarr(
			fixtureJson('servarr', 'sonarr-download-upgrade-constructed-v4.0.19.json'),
			context(),
		);
		expect(
			renderTemplate(PRESETS.generic.template({}), event as unknown as JsonObject, 'json').body,
		).toEqual({
			event_type: 'upgrade',
			movie_id: null,
			episode_id: event.media?.id,
			title: 'Who Is Alive?',
			show: 'Severance',
			season: 2,
			episode: 3,
			quality: event.quality,
			year: event.media?.year,
			size: expect.stringMatching(/ GB$/),
			indexer: event.indexer,
			message: null,
		});
	});
});
