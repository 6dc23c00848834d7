/**
 * Campaign, the manifest side: names its folder, taxonomy and workflow, each by a *Ref to a
 * manifest here or by the name the platform knows (folderName, taxonomyVersionName, workflowType).
 * Its id is the client's: given, or derived stably from the folder's name and metadata.name.
 */
import { uuidV5 } from '../model/uuid.js';
import type { CampaignBody, CampaignResource } from '../model/resources.js';
import { extended } from '../values.js';
import { checkByteLimits, checkNotBlank, givenOrDerived } from './spec-checks.js';
import type { Spec, SpecModule, SpecReport } from './types.js';

export interface CampaignSpec {
  campaignId?: string;
  campaignName: string;
  campaignType: CampaignBody['campaignType'];
  folderRef?: string;
  folderName?: string;
  taxonomyRef?: string;
  taxonomyVersionName?: string;
  workflowTemplateRef?: string;
  workflowType?: string;
}

export const CAMPAIGN_SPEC_KEYS = {
  campaignId: true,
  campaignName: true,
  campaignType: true,
  folderRef: true,
  folderName: true,
  taxonomyRef: true,
  taxonomyVersionName: true,
  workflowTemplateRef: true,
  workflowType: true,
} as const satisfies Record<keyof CampaignSpec, true>;

/** Fixed namespace for derived campaign ids. Changing it would change every derived id. */
export const CAMPAIGN_ID_NAMESPACE = '8e0b6a4c-3f1d-4e52-9a7b-6c5d4e3f2a1b';

/** UUID v5 of `folderName/name`: identical on every machine and every run. */
export function deriveCampaignId(folderName: string, name: string): string {
  return uuidV5(`${folderName}/${name}`, CAMPAIGN_ID_NAMESPACE);
}

function checkCampaign(spec: Spec, report: SpecReport): void {
  checkNotBlank(spec, 'campaignName', report);
  checkByteLimits(spec, ['campaignId', 'campaignName', 'folderName', 'taxonomyVersionName', 'workflowType'], report);
}

export const campaignSpec: SpecModule<'Campaign'> = {
  kind: 'Campaign',
  rank: 1,
  identifierFields: ['campaignId', 'campaignName', 'folderRef', 'folderName', 'taxonomyRef', 'taxonomyVersionName', 'workflowTemplateRef', 'workflowType'],
  references: [
    { field: 'folderRef', kind: 'Folder', alternative: 'folderName' },
    { field: 'taxonomyRef', kind: 'Taxonomy', alternative: 'taxonomyVersionName' },
    { field: 'workflowTemplateRef', kind: 'WorkflowTemplate', alternative: 'workflowType' },
  ],
  identityField: 'campaignId',
  unique: [
    { field: 'campaignId', rule: 'cross.duplicate-id' },
    { field: 'campaignName', rule: 'cross.duplicate-campaign-name' },
  ],
  checkSpec: checkCampaign,
  identity: (name, spec, resolve) => givenOrDerived(spec, 'campaignId', resolve('folderRef'), name, deriveCampaignId),
  toResource(base, spec, identity, resolve): CampaignResource {
    const { campaignName, campaignType } = spec as unknown as CampaignSpec;
    const body: CampaignBody = { campaignId: identity, campaignName, workflowType: resolve('workflowTemplateRef')!, taxonomyVersionName: resolve('taxonomyRef')!, folderName: resolve('folderRef')!, campaignType };
    return extended(base, { kind: 'Campaign' as const, body, idDerived: spec.campaignId === undefined });
  },
};
