/**
 * The normalized Sonarr/Radarr event: what the Sonarr/Radarr Trigger emits for one body of the apps' "Webhook"
 * connection. Pure types, no n8n imports. It reuses the MediaEvent's `MediaItem`, so a workflow can treat a
 * grabbed or imported episode like one a media server reported; the rest is download and library detail.
 */

import type { ChangedFile } from './changes';
import type { MediaItem, ProviderIds } from './event';

export const SERVARR_SOURCES = ['sonarr', 'radarr'] as const;
export type ServarrSource = (typeof SERVARR_SOURCES)[number];

export const SERVARR_EVENT_TYPES = [
	'grab',
	'import',
	'upgrade',
	'rename',
	'delete',
	'fileDelete',
	'added',
	'health',
	'healthRestored',
	'test',
	'other',
] as const;
export type ServarrEventType = (typeof SERVARR_EVENT_TYPES)[number];

/** One Sonarr episode the event covers; a file can hold several (multi-episode files, Import Complete). */
export interface ServarrEpisode {
	seasonNumber: number | null;
	episodeNumber: number | null;
	title: string | null;
	/** `yyyy-MM-dd` as Sonarr sends it (the local air date, no time zone). */
	airDate: string | null;
	/** The episode's own ids (`tvdb`), kept apart from the series' ids. */
	ids: ProviderIds;
}

export interface ServarrHealth {
	/** `ok`, `notice`, `warning` or `error`; HealthRestored repeats the level of the check that cleared. */
	level: string | null;
	/** The check's class name, e.g. `IndexerStatusCheck`. */
	type: string | null;
	wikiUrl: string | null;
}

export interface ServarrEvent {
	/** From the body (`series` or `movie`), else the User-Agent; null when neither tells (Health without a UA). */
	source: ServarrSource | null;
	event: ServarrEventType;
	/** `eventType` as sent (PascalCase); Import Complete and upgrades also arrive as `Download`. */
	rawEvent: string;
	receivedAt: string;
	/** Settings → General → Instance Name; the user can rename it, so it does not prove which app sent it. */
	instanceName: string | null;
	applicationUrl: string | null;
	/** The series, episode or movie; null for events about neither (Health, ApplicationUpdate). */
	media: MediaItem | null;
	/** Sonarr: every episode the event covers; [] for Radarr and for series-level events. */
	episodes: ServarrEpisode[];
	/** `series.path` / `movie.folderPath` as the app sees it; null on Test, whose folder is a placeholder. */
	folder: string | null;
	/** Library paths the event created, changed or removed: what Scan Paths takes. [] when nothing on disk changed. */
	files: ChangedFile[];
	/** The imported or deleted file's quality name, else the release's (Grab). */
	quality: string | null;
	/** Bytes: the file(s) the event is about, else the release. */
	size: number | null;
	indexer: string | null;
	releaseTitle: string | null;
	/** The download client's name as set in the app. */
	downloadClient: string | null;
	/** `missingFromDisk`, `manual`, `upgrade`, … on file deletes. */
	deleteReason: string | null;
	/** Health / ApplicationUpdate text; ManualInteractionRequired's download status messages. */
	message: string | null;
	/** Health and HealthRestored only. */
	health: ServarrHealth | null;
	/** The payload as received; present only when the trigger's "Include Raw Payload" option is on. */
	raw?: unknown;
}
