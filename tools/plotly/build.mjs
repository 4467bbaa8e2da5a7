// Builds static/vendor/plotly/plotly.min.js: plotly.js core with the trace types the
// dashboards draw (bar, heatmap, scatter, scatterpolar), minified, comments dropped.
import { build } from "esbuild";

// The default topojsonURL points at cdn.plot.ly; only geo traces read it, and they are left
// out, so it is blanked rather than shipped.
const noCdnDefault = {
  name: "no-cdn-default",
  setup(b) {
    b.onLoad({ filter: /plot_api[\\/]plot_config\.js$/ }, async (args) => {
      const fs = await import("node:fs/promises");
      const source = await fs.readFile(args.path, "utf8");
      return { contents: source.replace("https://cdn.plot.ly/un/", ""), loader: "js" };
    });
  },
};

await build({
  entryPoints: ["entry.js"],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",
  legalComments: "external", // kept beside the bundle: plotly.min.js.LEGAL.txt
  target: "es2017",
  define: { global: "window" }, // some dependencies expect Node's global, as browserify provides
  loader: { ".css": "empty" }, // map styles, for the map traces left out
  plugins: [noCdnDefault],
  outfile: "../../static/vendor/plotly/plotly.min.js",
});
