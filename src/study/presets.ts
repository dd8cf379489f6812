/**
 * The built-in study presets: the JSON files in presets/ beside the package (each also an example
 * of a preset file), by file name. Sizes are set by measured run times on a 2-core machine (see
 * docs/study.md): `quick` decides C1 to C3 in minutes on NAS-Bench-201 CIFAR-100 with the loop's
 * default predictor, as the decisive studies found them (R = 8); `paper` is docs/study.md's
 * grid with the MLP ensemble, R = 30; `gcn` retests C1 to C3 with the GCN (R = 12); `decide` is
 * the study that decides them, with gcn-rank, R = 30; `nb201-cifar100` and `nb201-cifar10` the
 * same questions on NAS-Bench-201.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../util/errors.js";
import { projectRoot } from "../util/files.js";
import { readPresetFile, type PresetReading, type StudyPreset } from "./preset.js";

const PRESET_DIRECTORY = join(projectRoot(), "presets");

/** The built-in presets' names. */
export const PRESET_NAMES: readonly string[] = existsSync(PRESET_DIRECTORY)
  ? readdirSync(PRESET_DIRECTORY)
      .filter((file) => file.endsWith(".json"))
      .map((file) => file.slice(0, -".json".length))
      .sort()
  : [];

/** A built-in preset by name, or a preset file. */
export function loadPreset(nameOrFile: string, reading: PresetReading = {}): StudyPreset {
  if (PRESET_NAMES.includes(nameOrFile)) return readPresetFile(join(PRESET_DIRECTORY, `${nameOrFile}.json`), reading);
  if (!nameOrFile.endsWith(".json")) {
    throw new InputError(`unknown preset '${nameOrFile}' (built in: ${PRESET_NAMES.join(", ")}; or give a .json file)`);
  }
  return readPresetFile(nameOrFile, reading);
}
