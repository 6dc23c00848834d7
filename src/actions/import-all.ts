/**
 * rosetta import --all --generate-manifest DIR: every folder (GET /folder/getAll, the API's one list
 * call) and every campaign of each folder (GET /campaign/queryByFolderName), recorded in state and
 * written as manifests under DIR, one file per folder, so that `plan DIR` then shows no changes.
 * What the state already manages (the same id under any name) is left alone and listed.
 * Everything is read and every file checked before anything is written or recorded.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiResult, CampaignInfo, FolderInfo } from '../api/client.js';
import { readFailureError, type ReadClient } from '../api/reads.js';
import { RosettaError } from '../errors.js';
import type { IoHost } from '../host/events.js';
import { idLabel } from '../kinds/index.js';
import { importedCampaign } from '../kinds/campaign.js';
import { importedFolder } from '../kinds/folder.js';
import type { Imported } from '../kinds/types.js';
import type { ResourceRecord } from '../model/records.js';
import { addressOf, type Kind } from '../model/resources.js';
import { StateSession } from '../state/session.js';
import type { StateStore } from '../state/store.js';
import { manifestFor, writeNew } from './import.js';
import { takeLock, type ActionLockOptions } from './lock.js';

/** The list calls --all needs besides the reads; RosettaClient has them. */
export interface ListClient extends ReadClient {
  getAllFolders(): Promise<ApiResult<{ active?: FolderInfo[]; inactive?: FolderInfo[] }>>;
  getCampaignsByFolder(folderName: string): Promise<ApiResult<CampaignInfo[]>>;
}

export interface ImportAllOptions {
  store: StateStore;
  client: ListClient;
  host: IoHost;
  lock: ActionLockOptions;
  /** Absolute path of the folder the manifests go to (made if missing; no file in it is overwritten). */
  dir: string;
  now?: Date;
}

export interface ImportAllResult {
  /** Addresses recorded, in the order written. */
  imported: string[];
  /** Files written (relative to dir). */
  files: string[];
  /** What the state already managed: address in state, and what it is. */
  alreadyManaged: { address: string; id: string }[];
}

export async function importAllAction(options: ImportAllOptions): Promise<ImportAllResult> {
  const { store, client } = options;
  const now = options.now ?? new Date();
  const lock = await takeLock(store, options.lock, options.host);
  try {
    const session = new StateSession(store, await store.read());
    const managed = new Map<string, string>(); // kind + id label → address
    for (const [address, record] of Object.entries(session.current.resources)) managed.set(`${record.kind}\0${idLabel(record)}`, address);
    const names = new Names(session.current.resources);
    const result: ImportAllResult = { imported: [], files: [], alreadyManaged: [] };
    const files = new Map<string, string>(); // file → text
    const records: [string, Imported<'Folder'> | Imported<'Campaign'>][] = [];

    const all = await client.getAllFolders();
    if (all.outcome !== 'ok' || !all.data) throw readFailureError('could not list the folders (GET /folder/getAll)', all);
    const folders = [...(all.data.active ?? []), ...(all.data.inactive ?? [])].sort((a, b) => (a.helixProjectId < b.helixProjectId ? -1 : 1));
    for (const info of folders) {
      const folder = importedFolder(names.next('Folder', info.helixProjectId), info, all.requestId, now);
      const documents: string[] = [];
      const take = (imported: Imported<'Folder'> | Imported<'Campaign'>, importedBy: string) => {
        const label = `${imported.record.kind}\0${idLabel(imported.record)}`;
        const holder = managed.get(label);
        if (holder) return void result.alreadyManaged.push({ address: holder, id: idLabel(imported.record) });
        const address = addressOf(imported.record.kind, imported.record.name);
        managed.set(label, address);
        records.push([address, imported]);
        documents.push(manifestFor(imported.record.kind, imported.record.name, imported.spec, importedBy));
      };
      take(folder, `rosetta import --all (GET /folder/${info.helixProjectId})`);
      const campaigns = await client.getCampaignsByFolder(info.name);
      if (campaigns.outcome !== 'ok' || !Array.isArray(campaigns.data)) throw readFailureError(`could not list the campaigns of folder "${info.name}" (GET /campaign/queryByFolderName)`, campaigns);
      for (const c of [...campaigns.data].sort((a, b) => (a.campaignName < b.campaignName ? -1 : 1))) {
        take(importedCampaign(names.next('Campaign', c.campaignName), c, campaigns.requestId, now), `rosetta import --all (GET /campaign/${c.campaignName})`);
      }
      if (documents.length > 0) files.set(`${folder.record.name}.yaml`, documents.join('---\n'));
    }

    // Nothing is written over, and nothing recorded, unless every file can be written.
    await mkdir(options.dir, { recursive: true });
    for (const file of files.keys()) {
      if (await exists(join(options.dir, file))) throw new RosettaError('ROS_USAGE', `${join(options.dir, file)} already exists; --generate-manifest never overwrites`, { hint: 'import into an empty folder' });
    }
    for (const [file, text] of files) {
      await writeNew(join(options.dir, file), text);
      result.files.push(file);
    }
    if (records.length > 0) await session.putMany(records.map(([address, imported]) => [address, imported.record as ResourceRecord]));
    await store.putBodies(new Map(records.map(([, imported]) => [imported.record.digest, imported.body]))).catch(() => undefined);
    result.imported = records.map(([address]) => address);
    return result;
  } finally {
    await lock.release();
  }
}

/** metadata.name for what the platform names freely: lowercase, digits and '-', unique per kind. */
class Names {
  private readonly taken = new Set<string>();

  constructor(resources: Readonly<Record<string, unknown>>) {
    for (const address of Object.keys(resources)) this.taken.add(address);
  }

  next(kind: Kind, text: string): string {
    const base = slug(text) || kind.toLowerCase();
    let name = base;
    for (let n = 2; this.taken.has(addressOf(kind, name)); n++) name = `${base.slice(0, 60)}-${n}`;
    this.taken.add(addressOf(kind, name));
    return name;
  }
}

function slug(text: string): string {
  return text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
