// The schemas' JSON layout: two-space indent, short lists and maps without descriptions on one
// line. One writer for the files scripts make, so a regenerated file diffs only where it changed.
const WIDTH = 110;

function compact(value) {
  if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${compact(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

function layout(value, indent, keyWidth) {
  const pad = '  '.repeat(indent);
  if (value !== null && typeof value === 'object') {
    const short = compact(value);
    const flat = Array.isArray(value) ? value.every((v) => v === null || typeof v !== 'object') : !('description' in value);
    if (flat && short.length + pad.length + keyWidth <= WIDTH) return short;
    if (Array.isArray(value)) return value.length === 0 ? '[]' : `[\n${value.map((v) => `${pad}  ${layout(v, indent + 1, 0)}`).join(',\n')}\n${pad}]`;
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${pad}  ${JSON.stringify(k)}: ${layout(v, indent + 1, k.length + 4)}`).join(',\n')}\n${pad}}`;
  }
  return JSON.stringify(value);
}

export function format(value) {
  return `${layout(value, 0, 0)}\n`;
}
