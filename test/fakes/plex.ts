import { fixtureJson } from '../fixtures/load';
import {
	FakeServer,
	headerValue,
	queryValue,
	type FakeCall,
	type FakeHandler,
	type FakeReply,
	type FakeServerOptions,
	type RecordedRequest,
} from './server';
import type { SpecName } from './spec';

/**
 * A fake Plex Media Server (spec: LukeHagar/plex-api-spec 1.1.1). Token in the `X-Plex-Token` header or query;
 * `X-Plex-Client-Identifier` (header or query) on every call but `/identity`; XML unless `Accept: application/json`;
 * error bodies are Plex's small HTML pages.
 */

export interface FakePlexSection {
	key: string | number;
	/** `movie`, `show`, `artist` or `photo`. */
	type: string;
	title: string;
	locations: Array<{ id: number; path: string }>;
}

export interface FakePlexOptions extends FakeServerOptions {
	tokens: string[];
	sections?: FakePlexSection[];
	machineIdentifier?: string;
}

export interface PlexRefresh {
	/** The section key, or `all` for POST /library/sections/refresh. */
	sectionId: string;
	path?: string;
	force: boolean;
}

export interface PlexCaller {
	token: string;
	via: 'header' | 'query';
}

function htmlError(status: number, title: string): FakeReply {
	return {
		status,
		headers: { 'content-type': 'text/html' },
		body: `<html><head><title>${title}</title></head><body><h1>${status} ${title}</h1></body></html>`,
	};
}

function escapeXml(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** Plex's XML form of a JSON body: scalars become attributes (booleans 1/0), arrays of objects child elements. */
export function plexXml(name: string, value: Record<string, unknown>): string {
	const attributes: string[] = [];
	const children: string[] = [];
	for (const [key, item] of Object.entries(value)) {
		if (item === undefined || item === null) continue;
		if (Array.isArray(item)) {
			for (const child of item) {
				if (typeof child === 'object' && child !== null) {
					children.push(plexXml(key, child as Record<string, unknown>));
				}
			}
		} else if (typeof item === 'object') {
			children.push(plexXml(key, item as Record<string, unknown>));
		} else {
			const text = typeof item === 'boolean' ? (item ? '1' : '0') : String(item);
			attributes.push(` ${key}="${escapeXml(text)}"`);
		}
	}
	const open = `<${name}${attributes.join('')}`;
	return children.length ? `${open}>\n${children.join('\n')}\n</${name}>` : `${open} />`;
}

const AGENTS: Record<string, { agent: string; scanner: string; art: string; thumb: string }> = {
	movie: {
		agent: 'tv.plex.agents.movie',
		scanner: 'Plex Movie',
		art: '/:/resources/movie-fanart.jpg',
		thumb: '/:/resources/movie.png',
	},
	show: {
		agent: 'tv.plex.agents.series',
		scanner: 'Plex TV Series',
		art: '/:/resources/show-fanart.jpg',
		thumb: '/:/resources/show.png',
	},
	artist: {
		agent: 'tv.plex.agents.music',
		scanner: 'Plex Music',
		art: '/:/resources/artist-fanart.jpg',
		thumb: '/:/resources/artist.png',
	},
	photo: {
		agent: 'com.plexapp.agents.none',
		scanner: 'Plex Photo Scanner',
		art: '/:/resources/photo-fanart.jpg',
		thumb: '/:/resources/photo.png',
	},
};

export class FakePlex extends FakeServer<PlexCaller> {
	protected readonly specName: SpecName = 'plex';
	protected readonly label = 'FakePlex';
	readonly machineIdentifier: string;
	readonly tokens: string[];
	readonly sections: FakePlexSection[];

	/** Accepted section refreshes, in order. */
	readonly refreshes: PlexRefresh[] = [];

	private readonly identity = fixtureJson<{ MediaContainer: Record<string, unknown> }>(
		'api/plex',
		'identity.json',
	);

	constructor(options: FakePlexOptions) {
		super(options);
		this.tokens = [...options.tokens];
		this.sections = (options.sections ?? []).map((section) => ({ ...section }));
		this.machineIdentifier =
			options.machineIdentifier ?? String(this.identity.MediaContainer.machineIdentifier);
	}

	/** Forgets recorded requests and refreshes. */
	clear(): void {
		super.clear();
		this.refreshes.length = 0;
	}

	protected readonly handlers: Record<string, FakeHandler<PlexCaller>> = {
		// test/fixtures/api/plex/identity.json with this fake's machineIdentifier.
		getIdentity: (call) =>
			this.container(call, {
				MediaContainer: {
					...this.identity.MediaContainer,
					machineIdentifier: this.machineIdentifier,
				},
			}),
		getSections: (call) => this.container(call, this.sectionsBody()),
		refreshSection: (call) => {
			const sectionId = call.params.sectionId;
			if (!this.sections.some((section) => String(section.key) === sectionId)) {
				return { ...htmlError(404, 'Not Found'), reason: `no section ${sectionId}` };
			}
			this.refreshes.push({
				sectionId,
				path: queryValue(call.request.query, 'path'),
				force: queryValue(call.request.query, 'force') === '1',
			});
			return { status: 200 };
		},
		refreshSectionsMetadata: (call) => {
			this.refreshes.push({
				sectionId: 'all',
				force: queryValue(call.request.query, 'force') === 'true',
			});
			return { status: 200 };
		},
	};

	protected rules(call: FakeCall<PlexCaller>): FakeReply | undefined {
		if (call.operationId === 'getIdentity') return undefined;
		const client =
			headerValue(call.request.headers, 'x-plex-client-identifier') ??
			queryValue(call.request.query, 'X-Plex-Client-Identifier');
		if (!client) {
			return { ...htmlError(400, 'Bad Request'), reason: 'no X-Plex-Client-Identifier' };
		}
		return undefined;
	}

	protected authenticate(call: FakeCall<PlexCaller>): { auth?: PlexCaller } | { reply: FakeReply } {
		if (!call.secured) return {};
		const found = this.findToken(call.request);
		if (!found || !this.tokens.includes(found.token)) {
			return {
				reply: {
					...htmlError(401, 'Unauthorized'),
					reason: found ? `unknown X-Plex-Token (${found.via})` : 'no X-Plex-Token',
				},
			};
		}
		return { auth: found };
	}

	private findToken(request: RecordedRequest): PlexCaller | undefined {
		const header = headerValue(request.headers, 'x-plex-token');
		if (header) return { token: header, via: 'header' };
		const query = queryValue(request.query, 'X-Plex-Token');
		return query ? { token: query, via: 'query' } : undefined;
	}

	/** JSON when the client asked for it, Plex's XML otherwise. */
	private container(
		call: FakeCall<PlexCaller>,
		body: { MediaContainer: Record<string, unknown> },
	): FakeReply {
		const accept = headerValue(call.request.headers, 'accept') ?? '';
		if (/application\/json/i.test(accept)) return { status: 200, body };
		return {
			status: 200,
			headers: { 'content-type': 'text/xml;charset=utf-8' },
			body: `<?xml version="1.0" encoding="UTF-8"?>\n${plexXml('MediaContainer', body.MediaContainer)}\n`,
		};
	}

	/** Constructed in the shape of test/fixtures/api/plex/library-sections-capture.json, from the options. */
	private sectionsBody(): { MediaContainer: Record<string, unknown> } {
		const created = 1700000000;
		return {
			MediaContainer: {
				size: this.sections.length,
				allowSync: false,
				title1: 'Plex Library',
				Directory: this.sections.map((section, index) => {
					const key = String(section.key);
					const looks = AGENTS[section.type] ?? AGENTS.movie;
					return {
						allowSync: true,
						art: looks.art,
						composite: `/library/sections/${key}/composite/${created + index}`,
						filters: true,
						refreshing: false,
						thumb: looks.thumb,
						key,
						type: section.type,
						title: section.title,
						agent: looks.agent,
						scanner: looks.scanner,
						language: 'en-US',
						uuid: `ac000000-0000-0000-0000-${key.padStart(12, '0')}`,
						updatedAt: created + index,
						createdAt: created,
						scannedAt: created + index,
						content: true,
						directory: true,
						contentChangedAt: 1000 + index,
						hidden: 0,
						Location: section.locations.map(({ id, path }) => ({ id, path })),
					};
				}),
			},
		};
	}
}
