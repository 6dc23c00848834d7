import { RosettaError } from '../../errors.js';
import { isLoopbackHost } from '../../model/hosts.js';
import { loadFixtures } from '../../sim/fixtures.js';
import { SIMULATOR_CREDENTIALS, startSimulator } from '../../sim/server.js';
import type { Credentials } from '../../api/signing.js';
import { untilStopped, type Io } from '../io.js';

export interface SimulatorCommandOptions {
  port: string;
  host: string;
  fixtures?: string;
  latency?: string;
  failRate?: string;
  resetRate?: string;
  dropRate?: string;
  seed: string;
  log?: string;
  processingMs: string;
}

/** Runs until SIGINT or SIGTERM. */
export async function simulatorCommand(options: SimulatorCommandOptions, io: Io): Promise<void> {
  const credentials: Credentials[] = [SIMULATOR_CREDENTIALS];
  // Also accept the caller's own keys, so an existing environment works unchanged.
  if (io.env.ROSETTA_ACCESS_KEY && io.env.ROSETTA_SECRET_KEY) {
    credentials.push({ accessKey: io.env.ROSETTA_ACCESS_KEY, secretKey: io.env.ROSETTA_SECRET_KEY });
  }
  const sim = await startSimulator({
    port: integer('--port', options.port, 0, 65535),
    host: options.host,
    ...(options.fixtures ? { fixtures: await loadFixtures(options.fixtures) } : {}),
    credentials,
    seed: integer('--seed', options.seed, 0, 2 ** 32 - 1),
    processingMs: integer('--processing-ms', options.processingMs, 0, 86_400_000),
    ...(options.log ? { logFile: options.log } : {}),
    faults: {
      ...(options.latency ? { latencyMs: latency(options.latency) } : {}),
      ...(options.failRate ? { rate5000: rate('--fail-rate', options.failRate) } : {}),
      ...(options.resetRate ? { resetRate: rate('--reset-rate', options.resetRate) } : {}),
      ...(options.dropRate ? { commitThenDropRate: { 'annotation-request': rate('--drop-rate', options.dropRate), sampling: rate('--drop-rate', options.dropRate) } } : {}),
    },
  }).catch((error: NodeJS.ErrnoException) => {
    throw new RosettaError('ROS_USAGE', `cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`, { hint: 'pick another --port, or --port 0 for any free one' });
  });

  io.stdout(`Rosetta simulator listening on ${sim.url}\n`);
  io.stdout(`Accepts ROSETTA_ACCESS_KEY=${SIMULATOR_CREDENTIALS.accessKey} ROSETTA_SECRET_KEY=${SIMULATOR_CREDENTIALS.secretKey}${credentials.length > 1 ? ' and the keys in your environment' : ''}\n`);
  io.stdout(`Try: export ROSETTA_ENDPOINT=${sim.url}\n`);
  if (!isLoopbackHost(options.host)) io.stderr(`warning: listening on ${options.host}, not loopback: anyone who can reach it can use it\n`);

  await untilStopped();
  await sim.close();
  io.stdout('Rosetta simulator stopped\n');
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new RosettaError('ROS_USAGE', `${flag}: expected an integer from ${min} to ${max}, found ${JSON.stringify(text)}`);
  return n;
}

function rate(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n) || n < 0 || n > 1) throw new RosettaError('ROS_USAGE', `${flag}: expected a share from 0 to 1, found ${JSON.stringify(text)}`);
  return n;
}

function latency(text: string): number | [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) throw new RosettaError('ROS_USAGE', `--latency: expected milliseconds like 20 or a range like 10-50, found ${JSON.stringify(text)}`);
  return match[2] === undefined ? Number(match[1]) : [Number(match[1]), Number(match[2])];
}
