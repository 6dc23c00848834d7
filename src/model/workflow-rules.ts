/**
 * The platform's rules for a workflow template (rosetta-api/platform.md), as one pure function: the
 * manifest stage reports each broken rule at its place in the file before anything is sent, and
 * the simulator answers the platform's code for the first one. A bad template never reaches the API.
 */

export const NODE_TYPES = ['DISTRIBUTION', 'ANNOTATION', 'CHECK', 'SAMPLING', 'ALGORITHM', 'COMPLETE'] as const;
export type NodeType = (typeof NODE_TYPES)[number];
/** Listed by the platform, refused by its current version. */
export const UNSUPPORTED_NODE_TYPES: ReadonlySet<string> = new Set(['ALGORITHM']);
export const MAX_POOLS = 20;

export interface WorkflowNode {
  name: string;
  type: string;
}

export interface WorkflowEdge {
  from: string;
  to: string;
}

export interface WorkflowProblem {
  /** The platform's code for this rule; undefined where the vendor documents none (an edge naming no pool). */
  code: number | undefined;
  /** A stable rule id (`workflow.single-head`), as validate prints it. */
  rule: string;
  message: string;
  /** Where in {nodes, edges} it is: ['nodes', 2, 'type']. */
  path: (string | number)[];
}

/**
 * Every broken rule, in a stable order. Reads defensively (the schema may have failed): entries
 * that are not {name, type} / {from, to} objects of strings are skipped here; the schema says why.
 */
export function workflowProblems(nodesValue: unknown, edgesValue: unknown): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const nodes = (Array.isArray(nodesValue) ? nodesValue : []) as unknown[];
  const edges = (Array.isArray(edgesValue) ? edgesValue : []) as unknown[];
  const named = new Map<string, { index: number; type: string }>();

  nodes.forEach((node, i) => {
    if (!isNode(node)) return;
    if (!(NODE_TYPES as readonly string[]).includes(node.type)) {
      problems.push({ code: 50530, rule: 'workflow.unknown-type', message: `pool "${node.name}" has type "${node.type}", which is not one of ${NODE_TYPES.filter((t) => !UNSUPPORTED_NODE_TYPES.has(t)).join(', ')}`, path: ['nodes', i, 'type'] });
    } else if (UNSUPPORTED_NODE_TYPES.has(node.type)) {
      problems.push({ code: 50530, rule: 'workflow.unsupported-type', message: `pool "${node.name}" has type ${node.type}, which the current platform version does not support`, path: ['nodes', i, 'type'] });
    }
    if (named.has(node.name)) {
      problems.push({ code: 50525, rule: 'workflow.duplicate-pool', message: `pool name "${node.name}" is used twice (pool names must be unique)`, path: ['nodes', i, 'name'] });
    } else {
      named.set(node.name, { index: i, type: node.type });
    }
  });
  if (nodes.length > MAX_POOLS) {
    problems.push({ code: 50528, rule: 'workflow.too-many-pools', message: `${nodes.length} pools; a workflow has at most ${MAX_POOLS}`, path: ['nodes', MAX_POOLS] });
  }

  const distributions = [...named.entries()].filter(([, n]) => n.type === 'DISTRIBUTION');
  if (distributions.length === 0) {
    problems.push({ code: 50522, rule: 'workflow.single-head', message: 'no DISTRIBUTION pool: a workflow starts with exactly one', path: ['nodes'] });
  }
  for (const [name, node] of distributions.slice(1)) {
    problems.push({ code: 50522, rule: 'workflow.single-head', message: `a second DISTRIBUTION pool "${name}": a workflow has exactly one`, path: ['nodes', node.index, 'type'] });
  }

  const outgoing = new Map<string, number>();
  const onEdge = new Set<string>();
  edges.forEach((edge, j) => {
    if (!isEdge(edge)) return;
    for (const end of ['from', 'to'] as const) {
      if (!named.has(edge[end])) problems.push({ code: undefined, rule: 'workflow.unknown-pool', message: `edge ${end} "${edge[end]}": no pool has that name`, path: ['edges', j, end] });
    }
    onEdge.add(edge.from);
    onEdge.add(edge.to);
    const from = named.get(edge.from);
    const to = named.get(edge.to);
    if (to?.type === 'DISTRIBUTION') {
      problems.push({ code: 50522, rule: 'workflow.single-head', message: `an edge enters the DISTRIBUTION pool "${edge.to}": it must be the head`, path: ['edges', j, 'to'] });
    }
    if (from?.type === 'COMPLETE') {
      problems.push({ code: 50531, rule: 'workflow.complete-is-end', message: `an edge leaves the COMPLETE pool "${edge.from}": a COMPLETE pool ends its branch`, path: ['edges', j, 'from'] });
    }
    const count = (outgoing.get(edge.from) ?? 0) + 1;
    outgoing.set(edge.from, count);
    if (count === 2 && from !== undefined && from.type !== 'DISTRIBUTION') {
      problems.push({ code: 50527, rule: 'workflow.single-exit', message: `pool "${edge.from}" has a second outgoing edge: only the DISTRIBUTION pool may branch`, path: ['edges', j, 'from'] });
    }
  });

  for (const [name, node] of named) {
    if (!onEdge.has(name)) {
      problems.push({ code: 50526, rule: 'workflow.isolated-pool', message: `pool "${name}" is on no edge`, path: ['nodes', node.index, 'name'] });
    } else if (node.type !== 'COMPLETE' && !outgoing.has(name)) {
      problems.push({ code: 50523, rule: 'workflow.ends-in-complete', message: `pool "${name}" (${node.type}) has no outgoing edge: every branch must end in a COMPLETE pool`, path: ['nodes', node.index, 'name'] });
    }
  }
  return problems;
}

function isNode(value: unknown): value is WorkflowNode {
  return typeof value === 'object' && value !== null && typeof (value as WorkflowNode).name === 'string' && typeof (value as WorkflowNode).type === 'string';
}

function isEdge(value: unknown): value is WorkflowEdge {
  return typeof value === 'object' && value !== null && typeof (value as WorkflowEdge).from === 'string' && typeof (value as WorkflowEdge).to === 'string';
}
