#!/usr/bin/env node
// Entry point. Kept to syntax any Node.js can parse, so an old Node gets a clear
// message instead of a syntax error.
var parts = process.versions.node.split('.').map(Number);
if (parts[0] < 20 || (parts[0] === 20 && parts[1] < 19)) {
  process.stderr.write('error[ROS_NODE_VERSION]: Node.js >= 20.19 is required, this is ' + process.version + '\n  hint: install Node.js 20.19 or newer\n');
  process.exitCode = 1;
} else if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-v')) {
  // `rosetta --version` alone (scripts and bug reports run it) answers without loading the CLI:
  // the same line the CLI prints, from the same package.json.
  var fs = process.getBuiltinModule('node:fs');
  process.stdout.write(JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version + '\n');
} else {
  // The CLI as one bundle (scripts/build.mjs); dist/cli/main.js is the same code unbundled.
  import('../dist/bundle/main.js').then(function (cli) {
    return cli.main();
  });
}
