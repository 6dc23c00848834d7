/** What status, refresh and import share: the reads, and how a failed read is told. */
import type { AnnotationRequestStatus, ApiResult, CallOptions, CampaignInfo, FolderInfo, SamplingAccuracy, TaskSchedule } from '../api/client.js';
import { RosettaError } from '../errors.js';

/** The reads these actions need; RosettaClient has them. */
export interface ReadClient {
  getAnnotationRequest(id: string, options?: CallOptions): Promise<ApiResult<AnnotationRequestStatus>>;
  getTaskSchedule(annotationRequestId: string, options?: CallOptions): Promise<ApiResult<TaskSchedule>>;
  getSamplingAccuracy(samplingPackageId: number, options?: CallOptions): Promise<ApiResult<SamplingAccuracy>>;
  getFolder(helixProjectId: string, options?: CallOptions): Promise<ApiResult<FolderInfo>>;
  getCampaign(campaignName: string, options?: CallOptions): Promise<ApiResult<CampaignInfo>>;
  getWorkflowTemplate(templateName: string, options?: CallOptions): Promise<ApiResult<string>>;
}

/** The answer of a failed read, with its code and requestId (for the vendor's support). */
export function describeReadFailure(read: ApiResult<unknown>): string {
  return `${read.message}${read.code !== undefined && read.code !== 2000 ? ` (code ${read.code})` : ''}${read.requestId ? ` (requestId ${read.requestId})` : ''}`;
}

/** A failed read as an error: no answer at all (refused, reset, timed out) is the network's fault, not the API's. */
export function readFailureError(what: string, read: ApiResult<unknown>, hint?: string): RosettaError {
  const code = read.code === undefined && read.httpStatus === undefined ? 'ROS_NETWORK' : 'ROS_API';
  return new RosettaError(code, `${what}: ${describeReadFailure(read)}`, hint === undefined ? {} : { hint });
}
