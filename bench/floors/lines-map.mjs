// The floor for reading a big scene list: read the file, split its lines, a Map of the scenes —
// what anything that reads it must do at least. A whole process.
//   node bench/floors/lines-map.mjs FILE yaml|csv
import { readFileSync } from 'node:fs';

const [file, format] = process.argv.slice(2);
const map = new Map();
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (format === 'yaml') {
    const colon = line.indexOf(': ');
    if (line.startsWith('    ') && colon > 0) map.set(line.slice(4, colon), line.slice(colon + 2));
  } else {
    const comma = line.indexOf(',');
    if (comma > 0) map.set(line.slice(0, comma), line.slice(comma + 1));
  }
}
if (map.size === 0) throw new Error(`no scenes in ${file}`);
