/* Map of the suggestions: d3-geo + world-atlas; data from the json_script #recommend-data.
   Text from data is only ever set with textContent. */
(function () {
  "use strict";
  var node = document.getElementById("recommend-data");
  if (!node || typeof d3 === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var script = document.getElementById("recommend-map-script");
  var svg = d3.select("#recommend-map");
  var width = 960, height = 480;
  svg.attr("viewBox", "0 0 " + width + " " + height);
  var projection = d3.geoNaturalEarth1().fitSize([width, height], {type: "Sphere"});
  var path = d3.geoPath(projection);
  svg.append("path").datum({type: "Sphere"}).attr("d", path).attr("fill", "#eef4fa");
  var land = svg.append("g");
  var marks = svg.append("g");
  d3.json(script.dataset.atlas).then(function (world) {
    land.append("path").datum(topojson.feature(world, world.objects.countries))
      .attr("d", path).attr("fill", "#d9d9d9").attr("stroke", "#fff").attr("stroke-width", 0.4);
  }).catch(function () {});
  var home = data.home;
  var pts = data.points.filter(function (p) { return p.lat !== null && p.lng !== null; });
  if (home) {
    marks.selectAll("path.arc").data(pts).enter().append("path").attr("class", "arc")
      .attr("d", function (p) { return path({type: "LineString", coordinates: [[home.lng, home.lat], [p.lng, p.lat]]}); })
      .attr("fill", "none").attr("stroke", "#2f6fb5").attr("stroke-opacity", 0.35);
  }
  var dots = marks.selectAll("circle").data(pts).enter().append("circle")
    .attr("cx", function (p) { return projection([p.lng, p.lat])[0]; })
    .attr("cy", function (p) { return projection([p.lng, p.lat])[1]; })
    .attr("r", 4).attr("fill", function (p) { return p.mutual_match ? "#1b7f3b" : "#c0392b"; });
  dots.append("title").text(function (p) { return p.rank + ". " + p.name + " (" + p.country_code + ")"; });
  if (home) {
    var xy = projection([home.lng, home.lat]);
    marks.append("circle").attr("cx", xy[0]).attr("cy", xy[1]).attr("r", 6).attr("fill", "#000")
      .append("title").text(home.name);
  }
})();
