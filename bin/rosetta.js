#!/usr/bin/env node
// Entry point, CommonJS (bin/package.json) and kept to syntax any Node.js can parse, so an old
// Node gets a clear message instead of a syntax error.
var parts = process.versions.node.split('.').map(Number);
if (parts[0] < 20 || (parts[0] === 20 && parts[1] < 19)) {
  process.stderr.write('error[ROS_NODE_VERSION]: Node.js >= 20.19 is required, this is ' + process.version + '\n  hint: install Node.js 20.19 or newer\n');
  process.exitCode = 1;
} else if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-v')) {
  // `rosetta --version` alone (scripts and bug reports run it) answers without loading the CLI:
  // the same line the CLI prints, from the same package.json.
  process.stdout.write(JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'package.json'), 'utf8')).version + '\n');
} else {
  require('./load-bundle.js').loadBundle('rosetta').main();
}
