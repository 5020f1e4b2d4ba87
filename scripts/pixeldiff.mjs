// Compare page images with pixelmatch (npm, ISC; https://github.com/mapbox/pixelmatch) and write
// a highlighted difference image for each pair: changed pixels in red over a faded page.
//
// Usage: node scripts/pixeldiff.mjs <jobs.json>
//   jobs.json: [{"before": "a.png" | null, "after": "b.png" | null, "diff": "out.png"}, …]
// Prints one JSON line: [{"diff": "out.png", "changed": <pixels>, "total": <pixels>}, …].
// A missing side (a page added or removed) is compared with a white page of the other's size.
import fs from "node:fs";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";

const jobs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const read = (path) => (path ? PNG.sync.read(fs.readFileSync(path)) : null);

function blank(width, height) {
  const png = new PNG({ width, height });
  png.data.fill(255);
  return png;
}

// Pad an image with white to width x height (pages of different sizes stay comparable).
function pad(img, width, height) {
  if (img.width === width && img.height === height) return img;
  const out = blank(width, height);
  PNG.bitblt(img, out, 0, 0, img.width, img.height, 0, 0);
  return out;
}

const results = [];
for (const job of jobs) {
  let a = read(job.before);
  let b = read(job.after);
  const width = Math.max(a?.width ?? 0, b?.width ?? 0);
  const height = Math.max(a?.height ?? 0, b?.height ?? 0);
  a = a ? pad(a, width, height) : blank(width, height);
  b = b ? pad(b, width, height) : blank(width, height);
  const diff = new PNG({ width, height });
  const changed = pixelmatch(a.data, b.data, diff.data, width, height, { threshold: 0.1, alpha: 0.2 });
  fs.writeFileSync(job.diff, PNG.sync.write(diff));
  results.push({ diff: job.diff, changed, total: width * height });
}
process.stdout.write(JSON.stringify(results) + "\n");
