/** state.json as text: written deterministically, read back and checked against its schema. */
import { RosettaError } from '../errors.js';
import { formatProblem } from '../model/formats.js';
import { STATE_VERSION, emptyState, type State } from '../model/records.js';
import { printable } from '../text.js';

/** Records are never mutated once stored (they are replaced), so their text can be reused. */
const recordText = new WeakMap<object, string>();

/**
 * Deterministic text: resources sorted by address, two-space indent, trailing
 * newline — the same as JSON.stringify(state, null, 2) with sorted resources,
 * but reusing each record's text: the state is rewritten after every create.
 */
export function serialiseState(state: State): string {
  const { resources, ...header } = state;
  const entries = Object.keys(resources)
    .sort()
    .map((address) => {
      const record = resources[address]!;
      let text = recordText.get(record);
      if (text === undefined) {
        text = JSON.stringify(record, null, 2).replace(/\n/g, '\n    ');
        recordText.set(record, text);
      }
      return `    ${JSON.stringify(address)}: ${text}`;
    });
  const head = JSON.stringify(header, null, 2).slice(0, -2);
  const body = entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n  }`;
  return `${head},\n  "resources": ${body}\n}\n`;
}

/** The snapshot document: JSON, a state, a version this rosetta reads (records are checked after the journal). */
export function parseStateDocument(text: string, location: string, backupPath: string | undefined): State {
  let value: Partial<State>;
  try {
    value = JSON.parse(text) as Partial<State>;
  } catch (error) {
    throw new RosettaError('ROS_STATE_CORRUPT', `the state file ${location} is not valid JSON: ${(error as Error).message}`, {
      hint: backupPath
        ? `${backupPath} holds the state as the last run found it, without that run's creates: compare both before replacing anything (a sampling plan missing from it would be created again)`
        : 'no backup of the state exists; restore it from where you keep it (git, CI artifacts) before running apply',
    });
  }
  if (typeof value !== 'object' || value === null || typeof value.version !== 'number' || typeof value.resources !== 'object') {
    throw new RosettaError('ROS_STATE_CORRUPT', `${location} is not a rosetta state file`);
  }
  if (value.version > STATE_VERSION) {
    throw new RosettaError('ROS_STATE_CORRUPT', `${location} was written by a newer rosetta (state version ${value.version}; this one reads ${STATE_VERSION})`, { hint: 'upgrade rosetta' });
  }
  return { ...emptyState(), ...value, appliedPlans: value.appliedPlans ?? [] } as State;
}

/**
 * Every record in the shape its kind needs (schemas/state.schema.json): a hand-edited or damaged
 * record is named here, not found later as a crash in the middle of an apply.
 */
export function checkStateFormat(state: State, location: string, backupPath: string | undefined): void {
  const problem = formatProblem('state', state);
  if (problem) {
    throw new RosettaError('ROS_STATE_CORRUPT', `${location} is not a valid rosetta state: ${printable(problem)}`, {
      hint: backupPath ? `fix that record by hand, or compare with ${backupPath}` : 'fix that record by hand, or restore the state from where you keep it',
    });
  }
}

