/**
 * The one schema of eck-airgap's settings, built from the descriptor table (src/config/descriptors.ts). The config
 * file, the environment and the command line each give a partial object of this shape; they are checked
 * separately (so every problem names where it came from) and merged, flags first, then the environment, then the
 * file.
 */
import { optional, strictObject, type infer as Infer, type ZodMiniOptional } from 'zod/mini';
import { SETTING_KEYS, SETTINGS } from './descriptors.js';

type Shape = { [K in keyof typeof SETTINGS]: ZodMiniOptional<(typeof SETTINGS)[K]['schema']> };

export const settingsSchema = strictObject(Object.fromEntries(SETTING_KEYS.map((key) => [key, optional(SETTINGS[key].schema)])) as unknown as Shape);

export type PartialSettings = Infer<typeof settingsSchema>;

export const settingsDescriptions: Record<string, string> = Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].description]));
