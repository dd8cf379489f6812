/**
 * Builds the tables prednas ships (data/nasbench101/nasbench101.bin, data/nasbench201/nasbench201.bin)
 * from the shared data, deterministically: the same input gives the same bytes.
 *
 *   npx tsx scripts/pack-data.ts [SHARED_DATA_DIR]     (default: ../shared/data)
 *
 * Every value is checked to decode back bit for bit before a file is written.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { gunzipSync } from "node:zlib";
import { builtinTablePath as nasbench101Path, readTablePack, writeTablePack } from "../src/spaces/nasbench101/table/tablePack.js";
import { parseTable } from "../src/spaces/nasbench101/table/table.js";
import { builtinTablePath as nasbench201Path, CELL_COUNT, columnName, DATASETS, QUANTITIES, readNasbench201Table, SOURCE_COLUMNS, TABLE_FORMAT } from "../src/spaces/nasbench201/table.js";
import { opCodeNumber } from "../src/spaces/nasbench201/cell.js";
import type { Column } from "../src/util/columns.js";
import { writePack } from "../src/util/dataPack.js";

const shared = resolve(process.argv[2] ?? join(import.meta.dirname, "..", "..", "shared", "data"));

function packNasbench101(): void {
  const source = join(shared, "nasbench101", "nasbench101_108_test.csv.gz");
  const table = parseTable(readFileSync(source), source);
  const out = nasbench101Path();
  writeTablePack(out, table);
  const back = readTablePack(out);
  if (!isDeepStrictEqual(back, table)) throw new Error(`${out} does not decode back to ${source}`);
  console.log(`${out}: ${table.catalogue.size} cells`);
}

function packNasbench201(): void {
  const source = join(shared, "nasbench201", "nasbench201_all.csv.gz");
  const lines = gunzipSync(readFileSync(source)).toString("utf8").trimEnd().split("\n");
  const header = lines[0]!.split(",");
  const rows = lines.slice(1).map((line) => line.split(","));
  if (rows.length !== CELL_COUNT) throw new Error(`${source} has ${rows.length} rows, not ${CELL_COUNT}`);
  const at = (name: string): number => {
    const position = header.indexOf(name);
    if (position < 0) throw new Error(`${source} has no column ${name}`);
    return position;
  };
  const [indexAt, archAt] = [at("index"), at("arch")];
  const columns: Record<string, Column> = {
    opCodes: Uint16Array.from(rows, (row, i) => {
      if (Number(row[indexAt]) !== i) throw new Error(`${source}: row ${i} has index ${row[indexAt]}`);
      return opCodeNumber(row[archAt]!);
    }),
  };
  for (const dataset of DATASETS) {
    for (const quantity of QUANTITIES) {
      const position = at(SOURCE_COLUMNS[dataset][quantity]);
      columns[columnName(dataset, quantity)] = Float64Array.from(rows, (row, i) => {
        const value = Number(row[position]);
        if (row[position] === "" || !Number.isFinite(value)) throw new Error(`${source}: row ${i} has no ${SOURCE_COLUMNS[dataset][quantity]}`);
        return value;
      });
    }
  }
  const out = nasbench201Path();
  writePack(out, TABLE_FORMAT, columns);
  const back = readNasbench201Table(out);
  if (!isDeepStrictEqual(back.opCodes, columns.opCodes)) throw new Error(`${out}: the operations do not decode back`);
  for (const dataset of DATASETS) {
    for (const quantity of QUANTITIES) {
      if (!isDeepStrictEqual(back.values[dataset][quantity], columns[columnName(dataset, quantity)])) throw new Error(`${out}: ${dataset} ${quantity} does not decode back`);
    }
  }
  console.log(`${out}: ${CELL_COUNT} cells`);
}

packNasbench101();
packNasbench201();
