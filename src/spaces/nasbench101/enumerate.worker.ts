/** Worker thread of {@link enumerateSpace}: enumerates one chunk of bit masks. */
import { serveTasks } from "../../util/workerPool.js";
import { enumerateChunk, type ChunkResult, type EnumerationChunk } from "./enumerate.js";

serveTasks<EnumerationChunk, ChunkResult>(enumerateChunk, (result) => [result.edgeMasks.buffer as ArrayBuffer, result.labels.buffer as ArrayBuffer]);
