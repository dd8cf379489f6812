/**
 * `npm run bench [-- SECTION ...]`: runs the benchmark sections (all but the opt-in ones by
 * default) and prints each figure with its target. Run on an otherwise idle machine; figures are medians of repeats.
 */
import { formatFigure, type Section } from "./harness.js";
import { benchmarkSection } from "./benchmark.js";
import { peersSection } from "./peers.js";
import { predictorsSection } from "./predictors.js";
import { queueSection, queueSoakSection } from "./queue.js";
import { searchSection } from "./search.js";
import { spaceSection } from "./space.js";
import { torchSection } from "./torch.js";

const SECTIONS: readonly Section[] = [spaceSection, benchmarkSection, predictorsSection, searchSection, torchSection, peersSection, queueSection, queueSoakSection];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown section(s) ${unknown.join(", ")}; sections: ${SECTIONS.map((s) => `${s.name}${s.optIn ? " (opt-in)" : ""}`).join(", ")}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`prednas benchmarks, ${new Date().toISOString()}, node ${process.version}\n`);
  for (const section of SECTIONS.filter((s) => (wanted.length === 0 ? !s.optIn : wanted.includes(s.name)))) {
    process.stdout.write(`\n[${section.name}] ${section.description}\n`);
    for (const figure of await section.run()) process.stdout.write(`${formatFigure(figure)}\n`);
  }
}

await main();
