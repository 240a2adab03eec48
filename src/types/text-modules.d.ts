/** YAML files imported as text (esbuild's text loader), e.g. the warm-up sample of the single executable's snapshot. */
declare module '*.yaml' {
  const text: string;
  export default text;
}
