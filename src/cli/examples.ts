/**
 * Two or three examples per command, shown by `rosetta COMMAND --help` with a link to the command's
 * reference page, and written into that page by `npm run docs`: one source for both.
 */
export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  validate: ['rosetta validate examples/', 'rosetta validate manifests/ --format json'],
  render: ['rosetta render examples/', 'rosetta render examples/ --format json'],
  plan: ['rosetta plan examples/', 'rosetta plan examples/ --out plan.json --detailed-exitcode', 'rosetta plan --refresh --format markdown'],
  apply: ['rosetta apply examples/ --auto-approve', 'rosetta apply --plan plan.json', 'rosetta apply --target SamplingPlan/helix-3d-qa --auto-approve'],
  status: ['rosetta status', 'rosetta status --wait --timeout 1h', 'rosetta status --format markdown --target AnnotationRequest/helix-3d'],
  import: ['rosetta import AnnotationRequest/by-hand 43d5ed28-0081-5726-8e22-695c6c007d7e --generate-manifest by-hand.yaml', 'rosetta import Folder/helix helix-prod --generate-manifest folder.yaml', 'rosetta import --all --generate-manifest managed/'],
  reconcile: ['rosetta reconcile --source https://github.com/acme/labels.git --state postgres://rosetta@db/rosetta', 'rosetta reconcile --source . --once', 'rosetta reconcile --source . --notify https://hooks.slack.com/services/… --refresh-interval 10m'],
  'results pull': ['rosetta results pull --out results/', 'rosetta results pull examples/ --out results/ --format json'],
  ui: ['rosetta ui', 'rosetta ui examples/ --listen 127.0.0.1:8080'],
  simulator: ['rosetta simulator --port 8088', 'rosetta simulator --fixtures fixtures.yaml --fail-rate 0.1'],
  'state list': ['rosetta state list', 'rosetta state list --format json'],
  'state show': ['rosetta state show SamplingPlan/helix-3d-qa'],
  'state rm': ['rosetta state rm AnnotationRequest/retired'],
  'state mv': ['rosetta state mv SamplingPlan/old-name SamplingPlan/new-name'],
  'state resolve': ['rosetta state resolve SamplingPlan/helix-3d-qa --sampling-package-id 5891', 'rosetta state resolve SamplingPlan/helix-3d-qa --not-created'],
  'state unlock': ['rosetta state unlock'],
  'state migrate': ['rosetta state migrate --to postgres://rosetta@db/rosetta'],
};

/** The reference page of a command, as a path in the repository and the package. */
export function referencePage(command: string): string {
  return `docs/reference/commands/${command.replace(/ /g, '-')}.md`;
}

/** What a command's exit code says (the reference pages show it; error codes are in errors.md). */
export const EXITS: Readonly<Record<string, string>> = {
  validate: '0 valid, 1 invalid',
  render: '0 rendered, 1 invalid manifests',
  plan: '0 ok (1 on a conflict or an error); with --detailed-exitcode: 0 no changes, 2 changes (creates or updates), 1 error',
  apply: '0 all done; 1 anything failed, was skipped, left pending or held back',
  status: '0 all well; 1 any FAILED, ID_NOT_EXISTS, NOT_FOUND, unreadable, or --wait timed out',
  import: '0 imported, 1 not',
  reconcile: 'runs until SIGTERM or SIGINT (0); --once: 0 applied, 1 failed or invalid; 1 when it cannot start',
  'results pull': '0 all pulled, 1 any request could not be read or written',
  ui: 'runs until SIGTERM or SIGINT (0); 1 when it cannot start',
  simulator: 'runs until SIGTERM or SIGINT (0)',
};
