/** The commands besides render, by name (and commander's own `help`): for dispatch and for "did you mean". */
export const OTHER_COMMANDS = [
  'template',
  'images',
  'check',
  'argocd',
  'mirror',
  'verify',
  'policy',
  'schema',
  'version',
  'help',
];
