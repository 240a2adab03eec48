// Small manifests the tests feed the CLI.

/** A Pod in namespace ns with one container per image (c0, c1, …). */
export const pod = (...images: string[]): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers:\n${images.map((image, i) => `    - name: c${i}\n      image: ${image}\n`).join('')}`;
