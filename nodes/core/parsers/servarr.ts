import type { ChangedFile } from '../changes';
import { PayloadError, type MediaItem, type ParseContext, type ProviderIds } from '../event';
import type {
	ServarrEpisode,
	ServarrEvent,
	ServarrEventType,
	ServarrSource,
} from '../servarrEvent';
import { bool, int, isObject, num, objectAt, providerIds, text, type JsonObject } from '../values';

/**
 * The "Webhook" connection of Sonarr (v3, v4) and Radarr (v4, v5, v6): `eventType` (PascalCase) plus `series` and
 * `episodes` (Sonarr) or `movie` (Radarr) and the event's own fields. Field list and version differences:
 * shared/research/servarr-webhooks.md.
 */

// A Map, so that names such as "constructor" or "__proto__" find nothing instead of Object.prototype members.
const EVENTS = new Map<string, ServarrEventType>([
	['Grab', 'grab'],
	// Per-file imports, upgrades (`isUpgrade`) and Sonarr's Import Complete all arrive as `Download`.
	['Download', 'import'],
	['Rename', 'rename'],
	['SeriesDelete', 'delete'],
	['MovieDelete', 'delete'],
	['EpisodeFileDelete', 'fileDelete'],
	['MovieFileDelete', 'fileDelete'],
	['SeriesAdd', 'added'],
	['MovieAdded', 'added'],
	['Health', 'health'],
	['HealthRestored', 'healthRestored'],
	['Test', 'test'],
]);

/** The events whose body has a top-level `message`. */
const MESSAGE_EVENTS = new Set(['Health', 'HealthRestored', 'ApplicationUpdate']);

/** Missing ints are sent as `0`, not null, so 0 (like "" and absent) means "no id". */
function idOf(value: unknown): string | null {
	return num(value) === 0 ? null : text(value);
}

function ids(entries: Array<[string, unknown]>): ProviderIds {
	return providerIds(entries.map(([key, value]): [string, unknown] => [key, idOf(value)]));
}

/** Years, sizes: 0 stands for "unknown" (Radarr `year` of an unreleased movie, `size` of a manual import). */
function positive(value: unknown): number | null {
	const parsed = num(value);
	return parsed !== null && parsed > 0 ? parsed : null;
}

function objects(value: unknown): JsonObject[] {
	return Array.isArray(value) ? value.filter(isObject) : [];
}

/** The year of a `yyyy-MM-dd` air date. */
function yearOf(date: string | null): number | null {
	const match = date === null ? null : /^(\d{4})-\d\d-\d\d/.exec(date);
	return match ? positive(match[1]) : null;
}

/** A quality name: v4/v5 send a string; Sonarr v3's EpisodeFileDelete sent the raw `{quality: {name}}` model. */
function qualityName(value: unknown): string | null {
	const model = objectAt(value);
	return model === null ? text(value) : text(objectAt(model.quality)?.name);
}

/** The one value all entries share, or null when there is none or they differ. */
function shared(values: Array<string | null>): string | null {
	const distinct = new Set(values.filter((value): value is string => value !== null));
	return distinct.size === 1 ? [...distinct][0] : null;
}

/** Joins with the folder's own separator: a folder with `\` and no `/` comes from a Windows host. */
function joinPath(folder: string | null, relative: string | null): string | null {
	if (folder === null || relative === null) return null;
	const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
	return `${withoutTrailingSeparators(folder)}${separator}${relative.replace(/^[\\/]+/, '')}`;
}

/**
 * A loop, not `/[\\/]+$/`: that regex retries from every separator of a long run that does not end the text,
 * which takes quadratic time (a body with 200,000 slashes in a folder held the event loop for minutes).
 */
function withoutTrailingSeparators(path: string): string {
	let end = path.length;
	while (end > 0 && (path[end - 1] === '/' || path[end - 1] === '\\')) end--;
	return path.slice(0, end);
}

/**
 * Where an imported, renamed or deleted file lives in the library. Before Sonarr 4.0.9 / Radarr 5.10 the file's
 * `path` on Download was the download-client path, so folder + `relativePath` wins and `path` is the fallback.
 */
function libraryPath(file: JsonObject, folder: string | null): string | null {
	return joinPath(folder, text(file.relativePath)) ?? text(file.path);
}

/** `deletedFiles[].path` and `previousPath` were always built from the library folder. */
function oldPath(path: unknown, relative: unknown, folder: string | null): string | null {
	return text(path) ?? joinPath(folder, text(relative));
}

/** The file(s) an import (per-file or Sonarr's Import Complete) or a file delete is about. */
function subjectFiles(body: JsonObject): JsonObject[] {
	if (Array.isArray(body.episodeFiles)) return objects(body.episodeFiles);
	const file = objectAt(body.episodeFile) ?? objectAt(body.movieFile);
	return file === null ? [] : [file];
}

function importedFiles(body: JsonObject, folder: string | null): ChangedFile[] {
	const created = subjectFiles(body)
		.map((file) => libraryPath(file, folder))
		.filter((path): path is string => path !== null);
	const deleted = objects(body.deletedFiles)
		.map((file) => oldPath(file.path, file.relativePath, folder))
		.filter((path): path is string => path !== null);
	// An upgrade that kept the file name replaced the file in place: one change, not a create and a delete.
	return [
		...created.map(
			(path): ChangedFile => ({
				path,
				previousPath: null,
				change: deleted.includes(path) ? 'modified' : 'created',
			}),
		),
		...deleted
			.filter((path) => !created.includes(path))
			.map((path): ChangedFile => ({ path, previousPath: null, change: 'deleted' })),
	];
}

function changedFiles(
	body: JsonObject,
	event: ServarrEventType,
	folder: string | null,
): ChangedFile[] {
	switch (event) {
		case 'import':
		case 'upgrade':
			return importedFiles(body, folder);
		case 'rename':
			return [...objects(body.renamedEpisodeFiles), ...objects(body.renamedMovieFiles)].flatMap(
				(file): ChangedFile[] => {
					const path = libraryPath(file, folder);
					if (path === null) return [];
					const previousPath = oldPath(file.previousPath, file.previousRelativePath, folder);
					return [{ path, previousPath, change: 'created' }];
				},
			);
		case 'fileDelete':
			return subjectFiles(body).flatMap((file): ChangedFile[] => {
				const path = libraryPath(file, folder);
				return path === null ? [] : [{ path, previousPath: null, change: 'deleted' }];
			});
		case 'delete':
			// `deletedFiles` is a bool here ("delete files" ticked), an array of files on Download.
			return bool(body.deletedFiles) === true && folder !== null
				? [{ path: folder, previousPath: null, change: 'deleted' }]
				: [];
		default:
			return [];
	}
}

function dedupe(files: ChangedFile[]): ChangedFile[] {
	const seen = new Set<string>();
	return files.filter((file) => {
		const key = `${file.change}\u0000${file.path}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

function sourceFromUserAgent(userAgent: string | undefined): ServarrSource | null {
	if (userAgent === undefined) return null;
	if (/^sonarr\//i.test(userAgent.trim())) return 'sonarr';
	if (/^radarr\//i.test(userAgent.trim())) return 'radarr';
	return null;
}

function episode(item: JsonObject, isTest: boolean): ServarrEpisode {
	return {
		seasonNumber: int(item.seasonNumber),
		episodeNumber: int(item.episodeNumber),
		title: text(item.title),
		airDate: text(item.airDate),
		ids: isTest ? {} : ids([['tvdb', item.tvdbId]]),
	};
}

function sonarrMedia(
	series: JsonObject,
	episodes: JsonObject[],
	isTest: boolean,
	path: string | null,
): MediaItem {
	// Test sends placeholder ids (tvdb 1234) that must not reach an id lookup.
	const seriesIds = isTest
		? {}
		: ids([
				['tvdb', series.tvdbId],
				['tmdb', series.tmdbId],
				['imdb', series.imdbId],
				['tvmaze', series.tvMazeId],
			]);
	const first = episodes[0];
	if (first === undefined) {
		return {
			type: 'series',
			id: idOf(series.id),
			title: text(series.title),
			year: positive(int(series.year)),
			series: null,
			seasonNumber: null,
			episodeNumber: null,
			episodeNumberEnd: null,
			ids: seriesIds,
			library: null,
			path,
		};
	}
	const season = int(first.seasonNumber);
	const numbers = episodes.map((item) => int(item.episodeNumber));
	const oneSeason = episodes.every((item) => int(item.seasonNumber) === season);
	const known = numbers.filter((value): value is number => value !== null);
	return {
		type: 'episode',
		id: idOf(first.id),
		title: text(first.title),
		year: yearOf(text(first.airDate)),
		series: { id: idOf(series.id), title: text(series.title), ids: seriesIds },
		seasonNumber: season,
		episodeNumber: numbers[0],
		// A multi-episode file or an Import Complete of several episodes: the range ends at the highest number.
		episodeNumberEnd:
			episodes.length > 1 && oneSeason && known.length > 0
				? known.reduce((highest, number) => Math.max(highest, number))
				: null,
		// With several episodes there is no single episode id to give.
		ids: episodes.length === 1 && !isTest ? ids([['tvdb', first.tvdbId]]) : {},
		library: null,
		path,
	};
}

function radarrMedia(
	movie: JsonObject,
	remoteMovie: JsonObject | null,
	isTest: boolean,
	path: string | null,
): MediaItem {
	const movieIds = (from: JsonObject | null): ProviderIds =>
		from === null
			? {}
			: ids([
					['tmdb', from.tmdbId],
					['imdb', from.imdbId],
				]);
	let found = movieIds(movie);
	// `remoteMovie` is the parsed release's match; Test puts its placeholder ids (1234, "5678") there.
	if (Object.keys(found).length === 0 && !isTest) found = movieIds(remoteMovie);
	return {
		type: 'movie',
		id: idOf(movie.id),
		title: text(movie.title),
		year: positive(int(movie.year)),
		series: null,
		seasonNumber: null,
		episodeNumber: null,
		episodeNumberEnd: null,
		ids: isTest ? {} : found,
		library: null,
		path,
	};
}

/** ManualInteractionRequired has no `message`; its download status messages say what needs doing. */
function statusMessages(value: unknown): string | null {
	const parts = objects(value).flatMap((entry) => {
		const title = text(entry.title);
		const details = (Array.isArray(entry.messages) ? entry.messages : [])
			.map(text)
			.filter((detail): detail is string => detail !== null);
		if (title === null) return details;
		return [details.length > 0 ? `${title}: ${details.join(', ')}` : title];
	});
	return parts.length > 0 ? parts.join('; ') : null;
}

export function parseServarr(payload: JsonObject, context: ParseContext): ServarrEvent {
	if (!isObject(payload)) {
		throw new PayloadError('Not a Sonarr/Radarr webhook: the body is not a JSON object');
	}
	const rawEvent = text(payload.eventType);
	if (rawEvent === null) {
		throw new PayloadError('Not a Sonarr/Radarr webhook: "eventType" is missing');
	}
	let event = EVENTS.get(rawEvent) ?? 'other';
	// Import Complete (Sonarr 4.0.6+) lists `episodeFiles` and never upgrades; a per-file import says `isUpgrade`.
	if (
		event === 'import' &&
		!Array.isArray(payload.episodeFiles) &&
		bool(payload.isUpgrade) === true
	) {
		event = 'upgrade';
	}
	const isTest = event === 'test';

	const series = objectAt(payload.series);
	const movie = series === null ? objectAt(payload.movie) : null;
	const source: ServarrSource | null =
		series !== null ? 'sonarr' : movie !== null ? 'radarr' : sourceFromUserAgent(context.userAgent);
	// Test sends the placeholder folder `C:\testpath`, which must never reach a rescan.
	const libraryFolder = isTest
		? null
		: series !== null
			? text(series.path)
			: movie !== null
				? text(movie.folderPath)
				: null;
	const files = dedupe(changedFiles(payload, event, libraryFolder));
	const kept = files.filter((file) => file.change !== 'deleted');
	const mediaPath = kept.length === 1 ? kept[0].path : null;

	const episodes = series === null ? [] : objects(payload.episodes);
	let media: MediaItem | null = null;
	if (series !== null) media = sonarrMedia(series, episodes, isTest, mediaPath);
	else if (movie !== null)
		media = radarrMedia(movie, objectAt(payload.remoteMovie), isTest, mediaPath);

	const release = objectAt(payload.release);
	const about = event === 'import' || event === 'upgrade' || event === 'fileDelete';
	const fileObjects = about ? subjectFiles(payload) : [];
	const sizes = fileObjects
		.map((file) => positive(file.size))
		.filter((size): size is number => size !== null);
	const isHealth = event === 'health' || event === 'healthRestored';

	let message: string | null = null;
	if (MESSAGE_EVENTS.has(rawEvent)) message = text(payload.message);
	else if (rawEvent === 'ManualInteractionRequired')
		message = text(payload.message) ?? statusMessages(payload.downloadStatusMessages);

	return {
		source,
		event,
		rawEvent,
		receivedAt: context.receivedAt.toISOString(),
		instanceName: text(payload.instanceName),
		applicationUrl: text(payload.applicationUrl),
		media,
		episodes: episodes.map((item) => episode(item, isTest)),
		folder: libraryFolder,
		files,
		quality:
			shared(fileObjects.map((file) => qualityName(file.quality))) ?? qualityName(release?.quality),
		size: sizes.length > 0 ? sizes.reduce((sum, size) => sum + size, 0) : positive(release?.size),
		indexer: text(release?.indexer),
		releaseTitle: text(release?.releaseTitle),
		downloadClient: text(payload.downloadClient),
		deleteReason: text(payload.deleteReason),
		message,
		health: isHealth
			? {
					level: text(payload.level),
					type: text(payload.type),
					wikiUrl: text(payload.wikiUrl),
				}
			: null,
	};
}
