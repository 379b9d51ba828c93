/**
 * File paths as media servers and the *arr apps write them: POSIX (`/media/tv`), Windows drive (`D:\TV`) and UNC
 * (`\\nas\media`). Path mapping and "which library folder holds this file" compare whole segments, never string
 * prefixes, so `/media/movies` never matches `/media/movies2`. Pure code, no n8n imports.
 */

interface ParsedPath {
	/** `/`, a drive (`D:`), `\\` for UNC, or `` for a relative path. */
	root: string;
	segments: string[];
	/** Windows paths compare without case and are written with `\`. */
	windows: boolean;
}

function parsePath(path: string): ParsedPath {
	const value = path.trim();
	if (/^[\\/]{2}[^\\/]/.test(value)) {
		return { root: '\\\\', segments: splitSegments(value.slice(2), /[\\/]+/), windows: true };
	}
	if (/^[a-zA-Z]:/.test(value)) {
		return {
			root: value.slice(0, 2).toUpperCase(),
			segments: splitSegments(value.slice(2), /[\\/]+/),
			windows: true,
		};
	}
	if (value.startsWith('/'))
		return { root: '/', segments: splitSegments(value, /\/+/), windows: false };
	const windows = value.includes('\\') && !value.includes('/');
	return { root: '', segments: splitSegments(value, windows ? /\\+/ : /\/+/), windows };
}

function splitSegments(value: string, separator: RegExp): string[] {
	return value.split(separator).filter((segment) => segment !== '' && segment !== '.');
}

function separatorOf(path: ParsedPath): string {
	return path.windows ? '\\' : '/';
}

function formatPath(path: ParsedPath): string {
	const separator = separatorOf(path);
	const body = path.segments.join(separator);
	if (path.root === '/') return `/${body}`;
	if (path.root === '\\\\') return `\\\\${body}`;
	if (path.root !== '') return `${path.root}\\${body}`;
	return body;
}

function sameSegment(a: string, b: string, windows: boolean): boolean {
	return windows ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** Whether `folder` is `path` itself or one of its ancestors, compared segment by segment. */
function contains(folder: ParsedPath, path: ParsedPath): boolean {
	const windows = folder.windows || path.windows;
	if (!sameSegment(folder.root, path.root, windows)) return false;
	if (folder.segments.length > path.segments.length) return false;
	return folder.segments.every((segment, index) =>
		sameSegment(segment, path.segments[index], windows),
	);
}

/** Whether `path` lies in `folder` (or is it): `/media/movies` holds `/media/movies/A` but not `/media/movies2`. */
export function isWithin(path: string, folder: string): boolean {
	return contains(parsePath(folder), parsePath(path));
}

/** The same path written one way: no trailing or doubled separators; Windows paths lower-cased. For dedupe. */
export function pathKey(path: string): string {
	const parsed = parsePath(path);
	const formatted = formatPath(parsed);
	return parsed.windows ? formatted.toLowerCase() : formatted;
}

/** The folder that holds `path`; a root stays itself. */
export function parentFolder(path: string): string {
	const parsed = parsePath(path);
	return formatPath({ ...parsed, segments: parsed.segments.slice(0, -1) });
}

export interface PathMappingRule {
	/** The path as the sender (Sonarr, Radarr, this n8n) sees it. */
	from: string;
	/** The same folder as the media server sees it. */
	to: string;
}

export interface MappedPath {
	path: string;
	serverPath: string;
	/** The rule that rewrote the path, written `from → to`; null when no rule applied. */
	rule: string | null;
}

/** A rule that cannot work, with the reason; the node turns it into a parameter error. */
export class PathMappingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PathMappingError';
	}
}

interface CompiledRule {
	from: ParsedPath;
	to: ParsedPath;
	label: string;
}

export type PathMapper = (path: string) => MappedPath;

/**
 * Checks the rules once and returns the mapping function. The rule with the longest `from` (in segments) wins;
 * the rest of the path is appended to `to` with `to`'s separator, so `D:\TV` → `/data/tv` turns
 * `D:\TV\Show\a.mkv` into `/data/tv/Show/a.mkv`. Paths no rule matches pass through unchanged.
 */
export function pathMapper(rules: PathMappingRule[]): PathMapper {
	const compiled: CompiledRule[] = rules.map((rule, index) => {
		const from = rule.from.trim();
		const to = rule.to.trim();
		const which = `Path mapping rule ${index + 1}`;
		if (from === '' || to === '') {
			throw new PathMappingError(`${which} needs both paths, "${rule.from}" → "${rule.to}"`);
		}
		const parsedFrom = parsePath(from);
		const parsedTo = parsePath(to);
		if (parsedFrom.root === '' || parsedTo.root === '') {
			throw new PathMappingError(
				`${which} must use absolute paths (starting with /, a drive letter or \\\\): "${from}" → "${to}"`,
			);
		}
		return { from: parsedFrom, to: parsedTo, label: `${from} → ${to}` };
	});
	// Longest prefix first; a stable sort keeps the user's order among equally long rules.
	compiled.sort((a, b) => b.from.segments.length - a.from.segments.length);

	return (path) => {
		const parsed = parsePath(path);
		const rule = compiled.find((candidate) => contains(candidate.from, parsed));
		if (!rule) return { path, serverPath: path, rule: null };
		const rest = parsed.segments.slice(rule.from.segments.length);
		const serverPath = formatPath({ ...rule.to, segments: [...rule.to.segments, ...rest] });
		return { path, serverPath, rule: rule.label };
	};
}

/** The path with one trailing separator in its own style, as Kodi stores source folders: `/tv/Show/`. */
export function withTrailingSeparator(path: string): string {
	const parsed = parsePath(path);
	const formatted = formatPath(parsed);
	return formatted.endsWith(separatorOf(parsed)) ? formatted : `${formatted}${separatorOf(parsed)}`;
}

/**
 * The folder to scan for a changed file (a path ending in a separator is a folder and stays): its own folder, or
 * its show's when that is a season folder
 * (`Season 01`, `Specials`), because Kodi adds nothing from a season folder of a show it does not know yet.
 */
export function mediaFolderOf(file: string): string {
	// A path written with a trailing separator is a folder already.
	if (/[\\/]\s*$/.test(file)) return formatPath(parsePath(file));
	const parsed = parsePath(file);
	const segments = parsed.segments.slice(0, -1);
	const last = segments[segments.length - 1] ?? '';
	const inSeason = /^(season|saison|staffel|temporada)[ ._-]*\d+$|^specials$/i.test(last);
	return formatPath({ ...parsed, segments: inSeason ? segments.slice(0, -1) : segments });
}

/**
 * Folders without those another folder of the list holds (a scan of `/tv/Show` covers `/tv/Show/Season 1`), each
 * once, first appearance first. Maps every folder given to the folder that covers it.
 */
export function coveringFolders(folders: string[]): Map<string, string> {
	const roots = folders.filter(
		(folder, index) =>
			!folders.some((other, otherIndex) =>
				pathKey(other) === pathKey(folder) ? otherIndex < index : isWithin(folder, other),
			),
	);
	return new Map(
		folders.map((folder) => [folder, roots.find((root) => isWithin(folder, root)) ?? folder]),
	);
}

/** The deepest of `folders` that holds `path` (or is it), or null. */
export function deepestFolderHolding(path: string, folders: string[]): string | null {
	const holding = folders.filter((folder) => isWithin(path, folder));
	if (holding.length === 0) return null;
	return holding.reduce((deepest, folder) =>
		parsePath(folder).segments.length > parsePath(deepest).segments.length ? folder : deepest,
	);
}
