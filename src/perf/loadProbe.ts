/**
 * Run as a child process by the benchmark section: loads the benchmark, answers one query, and
 * prints (as JSON) the time since the process started and the resident memory.
 */
import { Nasbench101Benchmark } from "../spaces/nasbench101/table/benchmark.js";

const benchmark = await Nasbench101Benchmark.load();
const answer = benchmark.query({ matrix: [[0, 1, 1], [0, 0, 1], [0, 0, 0]], ops: ["input", "conv3x3-bn-relu", "output"] });
process.stdout.write(
  `${JSON.stringify({ msToFirstAnswer: performance.now(), rssBytes: process.memoryUsage().rss, cache: benchmark.source?.cache, answer: answer.hash })}\n`,
);
