// The trace types the dashboards draw, and nothing else (no geo or map traces).
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/heatmap'),
  require('plotly.js/lib/scatterpolar'),
]);
module.exports = Plotly;
