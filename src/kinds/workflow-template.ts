/**
 * WorkflowTemplate: its name is unique, so an unknown outcome is safe to send again; 50529 means a
 * template of that name exists, and it is read back (GET /workflow/template, a JSON string) and
 * its nodes and edges compared with the manifest's.
 */
import type { ApiResult, CallOptions } from '../api/client.js';
import { describeReadFailure, readFailureError, type ReadClient } from '../api/reads.js';
import { canonicalJson } from '../model/digest.js';
import type { WorkflowTemplateBody } from '../model/resources.js';
import type { ResourceResult } from '../model/results.js';
import { createPipelineResource } from './pipeline-create.js';
import type { CreateContext, CreateOf, KindModule, RecordOf, StatusReadOptions } from './types.js';
import { bodyDigest } from '../model/digest.js';
import { RosettaError } from '../errors.js';
import { printable } from '../text.js';

export interface TemplateStatusReport {
  kind: 'WorkflowTemplate';
  name: string;
  address: string;
  templateName: string;
  status: 'EXISTS' | 'NOT_FOUND' | 'UNKNOWN';
  message?: string;
}

const NOT_FOUND = 50524;

/** The template as the platform holds it: its answer is a JSON string. Undefined when it cannot be read. */
export async function readTemplate(client: Pick<ReadClient, 'getWorkflowTemplate'>, name: string, call?: CallOptions): Promise<{ read: ApiResult<string>; template?: Pick<WorkflowTemplateBody, 'nodes' | 'edges'> }> {
  const read = await client.getWorkflowTemplate(name, call);
  if (read.outcome !== 'ok' || typeof read.data !== 'string') return { read };
  try {
    const parsed = JSON.parse(read.data) as Partial<WorkflowTemplateBody>;
    return Array.isArray(parsed.nodes) && Array.isArray(parsed.edges) ? { read, template: { nodes: parsed.nodes, edges: parsed.edges } } : { read };
  } catch {
    return { read };
  }
}

/** Nodes and edges that differ, in any order (the platform need not keep ours). */
export function templateDifferences(ours: Pick<WorkflowTemplateBody, 'nodes' | 'edges'>, theirs: Pick<WorkflowTemplateBody, 'nodes' | 'edges'>): string[] {
  const same = (a: unknown[], b: unknown[]) => canonicalJson(a.map((x) => canonicalJson(x)).sort()) === canonicalJson(b.map((x) => canonicalJson(x)).sort());
  return [...(same(ours.nodes, theirs.nodes) ? [] : ['nodes']), ...(same(ours.edges, theirs.edges) ? [] : ['edges'])];
}

function create(create: CreateOf<'WorkflowTemplate'>, context: CreateContext): Promise<ResourceResult> {
  return createPipelineResource(create, context, {
    send: (client, body: WorkflowTemplateBody, call) => client.createWorkflowTemplate(body, call),
    compare: async (client, body, call) => {
      const { read, template } = await readTemplate(client, body.name, call);
      if (!template) return { warnings: [`could not read the existing template back to compare it: ${describeReadFailure(read)}`] };
      const differing = templateDifferences(body, template);
      return { warnings: differing.length === 0 ? [] : [`the existing template differs from the manifest in: ${differing.join(', ')}`] };
    },
    record: (common) => ({ ...common, kind: 'WorkflowTemplate', templateName: create.body.name }),
  });
}

async function readStatus(address: string, record: RecordOf<'WorkflowTemplate'>, options: StatusReadOptions): Promise<TemplateStatusReport> {
  const base = { kind: 'WorkflowTemplate' as const, name: record.name, address, templateName: record.templateName };
  const { read, template } = await readTemplate(options.client, record.templateName, options.call);
  if (read.code === NOT_FOUND) return { ...base, status: 'NOT_FOUND' };
  return template ? { ...base, status: 'EXISTS' } : { ...base, status: 'UNKNOWN', message: describeReadFailure(read) };
}

export const workflowTemplate: KindModule<'WorkflowTemplate', TemplateStatusReport, true> = {
  kind: 'WorkflowTemplate',
  noun: 'workflow template',
  retrySafe: true,
  createHeadline: (c) => (c.reason === 'gone' ? `will be created again: the platform no longer has it (retry-safe: the name "${c.body.name}" is unique)` : `will be created (retry-safe: the name "${c.body.name}" is unique)`),
  create,
  readStatus,
  refresh: async (address, record, { client, getBody }) => {
    const { read, template } = await readTemplate(client, record.templateName);
    if (read.code === NOT_FOUND) return { gone: true };
    if (!template) throw readFailureError(`could not read ${address} from the platform to refresh it`, read, 'retry later, or plan without --refresh');
    const sent = (await getBody(record.digest)) as WorkflowTemplateBody | undefined;
    const fields = sent ? templateDifferences(sent, template) : [];
    return fields.length > 0 ? { drift: { fields } } : undefined;
  },
  importById: async (name, templateName, client, now) => {
    const { read, template } = await readTemplate(client, templateName);
    if (read.code === NOT_FOUND) throw new RosettaError('ROS_REMOTE_NOT_FOUND', `the platform has no workflow template named ${printable(JSON.stringify(templateName))} (50524)`, { hint: 'a template is imported by its name' });
    if (!template) throw readFailureError(`could not read workflow template ${printable(JSON.stringify(templateName))}`, read);
    const body: WorkflowTemplateBody = { name: templateName, nodes: template.nodes.map(({ name: n, type }) => ({ name: n, type })), edges: template.edges.map(({ from, to }) => ({ from, to })) };
    return {
      body,
      spec: { ...body },
      record: { kind: 'WorkflowTemplate', name, status: 'applied', outcome: 'imported', digest: bodyDigest(body), templateName, ...(read.requestId === undefined ? {} : { requestId: read.requestId }), appliedAt: now.toISOString() },
    };
  },
  idLabel: (record) => `name=${record.templateName}`,
  describeStatus: (r) => (r.status === 'NOT_FOUND' ? `the platform has no template named "${r.templateName}"` : `template "${r.templateName}"`),
};
