/**
 * The catalogue of the whole space, enumerated once and then read from the user cache.
 * (The benchmark builds the same catalogue from its data table instead; see benchmark/.)
 */
import { cachePath } from "../util/files.js";
import { loadOrBuild } from "../util/cache.js";
import { Catalogue, SPACE_SIZE } from "./catalogue.js";
import { enumerateSpace, type EnumerationOptions } from "./enumerate.js";

const IDENTITY = { kind: "nasbench101-enumeration", format: 1, size: SPACE_SIZE };

export async function loadSpaceCatalogue(options: EnumerationOptions = {}): Promise<Catalogue> {
  const { value } = await loadOrBuild({
    path: cachePath("nasbench101-space.cols"),
    identity: IDENTITY,
    decode: (columns) => {
      const catalogue = Catalogue.fromColumnRecord(columns);
      if (catalogue.size !== SPACE_SIZE) throw new Error(`the cached catalogue has ${catalogue.size} cells`);
      return catalogue;
    },
    build: async () => {
      const { catalogue } = await enumerateSpace(options);
      return { ...catalogue.columns };
    },
  });
  return value;
}
