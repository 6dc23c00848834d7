/**
 * The manifest stage's vocabulary: the wire and resource types live in src/model, re-exported here
 * for the stage's users.
 */
export {
  KINDS,
  addressOf,
  type AnnotationRequestBody,
  type AnnotationRequestResource,
  type CampaignResource,
  type FolderResource,
  type InterceptionRange,
  type Kind,
  type Resource,
  type SamplingBody,
  type SamplingPlanResource,
  type SourcePosition,
  type TaxonomyResource,
  type WorkflowTemplateResource,
} from '../model/resources.js';
export * from '../model/spec-types.js';
