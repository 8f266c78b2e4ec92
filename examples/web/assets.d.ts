/** esbuild's "file" loader: an imported font is the URL of its copy next to the bundle. */
declare module "*.otf" {
  const url: string;
  export default url;
}
