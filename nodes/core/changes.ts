/**
 * A changed file or folder, as the Sonarr/Radarr Trigger reports it and Scan Paths takes it. Pure types, no n8n
 * imports.
 */

export const FILE_CHANGES = ['created', 'modified', 'deleted'] as const;
export type FileChange = (typeof FILE_CHANGES)[number];

export interface ChangedFile {
	/** Absolute path as the sender sees it (container or host path, `\` on Windows). */
	path: string;
	/** The path before a rename; Scan Paths reports it as deleted. Null otherwise. */
	previousPath: string | null;
	change: FileChange;
}

const CHANGE_WEIGHT: Record<FileChange, number> = { created: 0, modified: 1, deleted: 2 };

/** Of two reports about one path, the one a rescan must honour: deleted > modified > created. */
export function strongerChange(a: FileChange, b: FileChange): FileChange {
	return CHANGE_WEIGHT[b] > CHANGE_WEIGHT[a] ? b : a;
}
