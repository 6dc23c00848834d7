import { afterEach } from 'vitest';
import { RosettaClient, type ClientOptions, type Clock } from '../../src/api/client.js';
import { SIMULATOR_CREDENTIALS, startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/server.js';

const running: { close(): Promise<void> }[] = [];

/** A real simulator on 127.0.0.1:0, closed after the test. */
export async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ port: 0, ...options });
  running.push(sim);
  return sim;
}

/** Real time for signing, instant sleeps that are recorded. */
export function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) };
}

export function client(sim: { url: string }, options: Partial<ClientOptions> = {}): RosettaClient {
  const c = new RosettaClient({ endpoint: sim.url, credentials: SIMULATOR_CREDENTIALS, clock: recordingClock(), random: () => 0.5, ...options });
  running.push(c);
  return c;
}

afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
});
