/* The whole twinning network on one canvas: every tie as a great-circle segment in one path.
   Timings go to the Performance API ("world-map-draw") and to data- attributes for tests. */
(function () {
  "use strict";
  var canvas = document.getElementById("world-canvas");
  var script = document.getElementById("world-map-script");
  var status = document.getElementById("world-status");
  var ctx = canvas.getContext("2d");
  var width = canvas.width, height = canvas.height;
  var projection = d3.geoNaturalEarth1().fitSize([width, height], {type: "Sphere"});
  var path = d3.geoPath(projection, ctx);
  performance.mark("world-map-start");
  Promise.all([d3.json(script.dataset.atlas), d3.json(script.dataset.source)]).then(function (res) {
    performance.mark("world-map-data");
    var world = res[0], net = res[1];
    ctx.fillStyle = "#eef4f8";
    ctx.beginPath(); path({type: "Sphere"}); ctx.fill();
    ctx.fillStyle = "#d9d9d2";
    ctx.beginPath(); path(topojson.feature(world, world.objects.countries)); ctx.fill();
    var nodes = net.nodes, edges = net.edges;
    var lines = [];
    for (var i = 0; i < edges.length; i += 2) {
      var a = edges[i] * 2, b = edges[i + 1] * 2;
      lines.push([[nodes[a], nodes[a + 1]], [nodes[b], nodes[b + 1]]]);
    }
    // Few ties (a filtered register) are drawn stronger than the whole world's 26,000.
    var few = edges.length / 2 < 500;
    ctx.strokeStyle = few ? "rgba(47, 111, 181, 0.7)" : "rgba(47, 111, 181, 0.12)";
    ctx.lineWidth = few ? 1.4 : 0.6;
    ctx.beginPath();
    path({type: "MultiLineString", coordinates: lines});
    ctx.stroke();
    ctx.fillStyle = "rgba(192, 57, 43, 0.6)";
    for (var j = 0; j < nodes.length; j += 2) {
      var p = projection([nodes[j], nodes[j + 1]]);
      if (p) { var r = few ? 2.5 : 0.8; ctx.fillRect(p[0] - r, p[1] - r, 2 * r, 2 * r); }
    }
    performance.mark("world-map-end");
    var measure = performance.measure("world-map-draw", "world-map-start", "world-map-end");
    canvas.dataset.ties = String(edges.length / 2);
    canvas.dataset.drawMs = String(Math.round(measure.duration));
    canvas.dataset.ready = "1";
    status.textContent = status.dataset.template
      .replace("%(ties)s", String(edges.length / 2)).replace("%(nodes)s", String(nodes.length / 2))
      .replace("%(ms)s", String(Math.round(measure.duration)));
  });
}());
