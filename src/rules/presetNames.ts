/** The rule presets a rules file (`preset:`) or the CLI (`--preset`) can start from; see presets.ts. */
export const PRESET_NAMES = ['soak', 'anomaly'] as const;

/** The name of a preset. */
export type PresetName = (typeof PRESET_NAMES)[number];
