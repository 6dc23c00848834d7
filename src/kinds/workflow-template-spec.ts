/**
 * WorkflowTemplate, the manifest side: the pools a task passes through and the edges between them.
 * The platform's six rules (and its node types) are checked before sending, each at its place.
 */
import { formatPath } from '../model/paths.js';
import type { WorkflowTemplateResource } from '../model/resources.js';
import { extended } from '../values.js';
import { workflowProblems } from '../model/workflow-rules.js';
import { checkByteLimits, checkNotBlank } from './spec-checks.js';
import type { Spec, SpecModule, SpecReport } from './types.js';

export interface WorkflowTemplateSpec {
  name: string;
  nodes: { name: string; type: string }[];
  edges: { from: string; to: string }[];
}

export const WORKFLOW_TEMPLATE_SPEC_KEYS = { name: true, nodes: true, edges: true } as const satisfies Record<keyof WorkflowTemplateSpec, true>;

function checkWorkflowTemplate(spec: Spec, report: SpecReport): void {
  checkNotBlank(spec, 'name', report);
  checkByteLimits(spec, ['name'], report);
  for (const problem of workflowProblems(spec.nodes, spec.edges)) {
    // An unknown type is the schema's to report (its enum, which editors also complete).
    if (problem.rule === 'workflow.unknown-type') continue;
    report(problem.path, problem.rule, `spec.${formatPath(problem.path)}: ${problem.message}`, problem.code === undefined ? undefined : `the platform would answer ${problem.code}`);
  }
}

export const workflowTemplateSpec: SpecModule<'WorkflowTemplate'> = {
  kind: 'WorkflowTemplate',
  rank: 0,
  identifierFields: ['name'],
  references: [],
  identityField: 'name',
  unique: [{ field: 'name', rule: 'cross.duplicate-template-name' }],
  checkSpec: checkWorkflowTemplate,
  identity: (_name, spec) => (typeof spec.name === 'string' ? spec.name : undefined),
  toResource(base, spec): WorkflowTemplateResource {
    const { name, nodes, edges } = spec as unknown as WorkflowTemplateSpec;
    return extended(base, { kind: 'WorkflowTemplate' as const, body: { name, nodes: nodes.map(({ name: n, type }) => ({ name: n, type })), edges: edges.map(({ from, to }) => ({ from, to })) } });
  },
};
