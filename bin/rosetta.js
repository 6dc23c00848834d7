#!/usr/bin/env node
// Entry point. Kept to syntax any Node.js can parse, so an old Node gets a clear
// message instead of a syntax error.
var parts = process.versions.node.split('.').map(Number);
if (parts[0] < 20 || (parts[0] === 20 && parts[1] < 19)) {
  process.stderr.write('error[ROS_NODE_VERSION]: Node.js >= 20.19 is required, this is ' + process.version + '\n  hint: install Node.js 20.19 or newer\n');
  process.exitCode = 1;
} else {
  import('../dist/cli/main.js').then(function (cli) {
    return cli.main();
  });
}
