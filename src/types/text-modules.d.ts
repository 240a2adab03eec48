/** YAML files imported as text (esbuild's text loader), e.g. the snapshot's warm-up sample. */
declare module '*.yaml' {
  const text: string;
  export default text;
}
