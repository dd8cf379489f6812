/**
 * Packs what scripts/accel_surrogates.py fitted (its surrogates.json) into the data prednas ships,
 * data/accel-nasbench/accel-nasbench.bin, deterministically: the same input gives the same bytes.
 *
 *   npx tsx scripts/pack-accel.ts .tmp/accel-nasbench/surrogates.json
 *
 * The file is read back and every tree and record compared before it replaces the shipped one.
 */
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { builtinDataPath, CHOICE_COUNT, DATA_FORMAT, EXTRA_MEASURES, measuredColumn, QUANTITIES, readAccelData, SPLITS, treeColumns } from "../src/spaces/accelnasbench/data.js";
import type { Column } from "../src/util/columns.js";
import { readPack, writePack } from "../src/util/dataPack.js";

interface Fitted {
  xgboost: string;
  seed: number;
  choices: [string, (number | boolean)[]][];
  authorsAccuracy: Record<string, number>;
  surrogates: ({ name: (typeof QUANTITIES)[number]; model: { nodes: number[]; leaf: number[] }[] } & Record<string, unknown>)[];
  measured: { files: number[]; archs: string[]; split: string[]; values: Record<string, (number | null)[]>; extra: Record<string, (number | null)[]> };
}

const input = process.argv[2];
if (input === undefined) throw new Error("usage: npx tsx scripts/pack-accel.ts SURROGATES_JSON");
const fitted = JSON.parse(readFileSync(input, "utf8")) as Fitted;

const columns: Record<string, Column> = {};
const surrogates = fitted.surrogates.map(({ model, ...info }) => {
  const names = treeColumns(info.name);
  columns[names.nodes] = Uint8Array.from(model.flatMap((tree) => tree.nodes));
  const leaves = model.flatMap((tree) => tree.leaf);
  columns[names.leaf] = Float32Array.from(leaves);
  if (leaves.some((value, i) => columns[names.leaf]![i] !== value)) throw new Error(`${input}: a leaf of ${info.name} is not a float32`);
  return info;
});
const { files, archs, split, values, extra } = fitted.measured;
columns[measuredColumn("file")] = Uint16Array.from(files);
columns[measuredColumn("arch")] = Uint8Array.from(
  archs.flatMap((arch) => {
    if (arch.length !== CHOICE_COUNT) throw new Error(`${input}: the measured architecture ${arch} has not ${CHOICE_COUNT} choices`);
    return [...arch].map(Number);
  }),
);
columns[measuredColumn("split")] = Uint8Array.from(split, (part) => SPLITS.indexOf(part as (typeof SPLITS)[number]));
for (const name of [...QUANTITIES, ...EXTRA_MEASURES]) columns[measuredColumn(name)] = Float64Array.from((values[name] ?? extra[name])!, (value) => value ?? NaN);

const meta = { ...DATA_FORMAT, xgboost: fitted.xgboost, seed: fitted.seed, choices: fitted.choices, authorsAccuracy: fitted.authorsAccuracy, surrogates, records: files.length };
const out = builtinDataPath();
writePack(out, meta, columns);
const back = readPack(out);
if (!isDeepStrictEqual(back.meta, meta)) throw new Error(`${out}: the header does not decode back`);
for (const [name, column] of Object.entries(columns)) if (!isDeepStrictEqual(back.columns[name], column)) throw new Error(`${out}: the column ${name} does not decode back`);
// And it reads as the data it is (every tree well formed, every column of its length).
readAccelData(out);
console.log(`${out}: ${surrogates.map((s) => `${s.name} ${String(s.trees)} trees`).join(", ")}; ${files.length} measured records`);
